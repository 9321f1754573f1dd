using Conductor.Abstractions;
using Conductor.Abstractions.Compute;

namespace Compute.Host.Lifecycle;

/// <content>Deleting instances.</content>
internal sealed partial class InstanceManager
{
    private async Task DeleteAsync(Instance instance, CancellationToken cancellationToken)
    {
        // Always look for an open delete action: a previous run may have stopped half-way through this deletion.
        Guid actionId = await StartOrResumeActionAsync(instance.Id, DeleteAction, resume: true, cancellationToken);
        LogDeleting(_logger, instance.Id, instance.Name, actionId);
        try
        {
            await _driver.DestroyAsync(instance.Id, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogDestroyFailed(_logger, instance.Id, ex);
            var failed = new InstanceUpdate { InstanceId = instance.Id, ExpectedTaskState = TaskState.Deleting, VmState = VmState.Error, TaskState = TaskState.None };
            try
            {
                await WriteAsync("mark instance error", c => _instances.UpdateAsync(failed, c), cancellationToken);
            }
            catch (ConflictException conflict)
            {
                LogChangedDuringDelete(_logger, instance.Id, conflict.Message);
            }

            await FinishActionAsync(instance.Id, actionId, ActionResult.Error, ex.Message, cancellationToken);
            return;
        }

        var deletion = new InstanceDeletion { InstanceId = instance.Id, ExpectedTaskState = TaskState.Deleting };
        try
        {
            await WriteAsync("mark instance deleted", c => _instances.MarkDeletedAsync(deletion, c), cancellationToken);
        }
        catch (ConflictException ex)
        {
            LogChangedDuringDelete(_logger, instance.Id, ex.Message);
            await FinishActionAsync(instance.Id, actionId, ActionResult.Error, $"Instance {instance.Id} left the deleting state while it was being destroyed, so it was not marked deleted.", cancellationToken);
            return;
        }

        await FinishActionAsync(instance.Id, actionId, ActionResult.Success, null, cancellationToken);
        LogDeleted(_logger, instance.Id, instance.Name);
    }
}
