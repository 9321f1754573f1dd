using Conductor.Abstractions;
using Conductor.Abstractions.Compute;

namespace Compute.Host.Lifecycle;

/// <content>Building instances.</content>
internal sealed partial class InstanceManager
{
    private async Task SpawnAsync(Instance instance, bool resume, CancellationToken cancellationToken)
    {
        if (resume)
        {
            // A previous run claimed it and stopped before finishing (crash or shutdown). The driver is idempotent,
            // so build again and finish the action that run left open.
            LogResumingSpawn(_logger, instance.Id);
        }
        else
        {
            var claim = new InstanceUpdate { InstanceId = instance.Id, ExpectedTaskState = TaskState.Scheduling, TaskState = TaskState.Spawning };
            try
            {
                await WriteAsync("claim instance for spawn", c => _instances.UpdateAsync(claim, c), cancellationToken);
            }
            catch (Exception ex) when (ex is ConflictException or NotFoundException)
            {
                LogClaimLost(_logger, instance.Id, ex.Message);
                return;
            }
        }

        Guid actionId = await StartOrResumeActionAsync(instance.Id, SpawnAction, resume, cancellationToken);
        LogSpawning(_logger, instance.Id, instance.Name, actionId);
        try
        {
            await _driver.SpawnAsync(instance, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            await FailSpawnAsync(instance, actionId, ex, cancellationToken);
            return;
        }

        var active = new InstanceUpdate
        {
            InstanceId = instance.Id,
            ExpectedTaskState = TaskState.Spawning,
            VmState = VmState.Active,
            TaskState = TaskState.None,
            PowerState = PowerState.Running,
            LaunchedAtUtc = _timeProvider.GetUtcNow().UtcDateTime,
        };
        try
        {
            await WriteAsync("mark instance active", c => _instances.UpdateAsync(active, c), cancellationToken);
        }
        catch (ConflictException ex)
        {
            // Someone (an operator's delete, most likely) moved it while it was being built: leave it to them.
            LogChangedDuringSpawn(_logger, instance.Id, ex.Message);
            await FinishActionAsync(instance.Id, actionId, ActionResult.Error, $"Instance {instance.Id} left the spawning state while it was being built, so it was not marked active.", cancellationToken);
            return;
        }

        await FinishActionAsync(instance.Id, actionId, ActionResult.Success, null, cancellationToken);
        LogSpawned(_logger, instance.Id, instance.Name);
    }

    private async Task FailSpawnAsync(Instance instance, Guid actionId, Exception error, CancellationToken cancellationToken)
    {
        LogSpawnFailed(_logger, instance.Id, error);
        var failed = new InstanceUpdate
        {
            InstanceId = instance.Id,
            ExpectedTaskState = TaskState.Spawning,
            VmState = VmState.Error,
            TaskState = TaskState.None,
            PowerState = PowerState.NoState,
        };
        try
        {
            await WriteAsync("mark instance error", c => _instances.UpdateAsync(failed, c), cancellationToken);
        }
        catch (ConflictException ex)
        {
            LogChangedDuringSpawn(_logger, instance.Id, ex.Message);
        }

        await FinishActionAsync(instance.Id, actionId, ActionResult.Error, error.Message, cancellationToken);
    }
}
