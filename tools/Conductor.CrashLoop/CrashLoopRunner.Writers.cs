using Conductor.Abstractions;
using Conductor.Abstractions.Admin;
using Conductor.Abstractions.Compute;

namespace Conductor.CrashLoop;

/// <content>The writers: durable writes resent until acknowledged, and heartbeats.</content>
public sealed partial class CrashLoopRunner
{
    private async Task WriteActionsAsync(string host, IInstanceActionRepository actions, Guid instanceId, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var start = new InstanceActionStart { InstanceId = instanceId, Action = "crash-write" };
            if (await AcknowledgeAsync(c => actions.StartAsync(start, c), $"action {start.RequestId} of {host}", stop).ConfigureAwait(false) is { } action)
            {
                if (action.Id != start.RequestId)
                {
                    _failures.Enqueue($"Action {start.RequestId} of {host} was acknowledged as {action.Id}.");
                }

                _acknowledgedActions[action.Id] = host;
            }
        }
    }

    /// <summary>Heartbeats like a compute host (so the scheduler keeps placing instances), through every outage.</summary>
    private async Task HeartbeatAsync(IServiceRepository services, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await services.HeartbeatAsync(stop).ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromSeconds(1), stop).ConfigureAwait(false);
            }
            catch (ConductorUnavailableException)
            {
                // Down: the next beat goes to the restarted conductor over the same proxy.
            }
            catch (ConductorException ex)
            {
                // Reported as the run's failure (a faulted writer would end the run with an unhandled exception instead).
                _failures.Enqueue($"The conductor refused a heartbeat: {ex.GetType().Name}: {ex.Message}");
                return;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task CreateInstancesAsync(IInstanceAdminRepository admin, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var create = new InstanceCreate { Name = "crash-create", Flavor = new Flavor { Vcpus = 1, MemoryMb = 1, DiskGb = 1 } };
            if (await AcknowledgeAsync(c => admin.CreateAsync(create, c), $"create {create.RequestId}", stop).ConfigureAwait(false) is { } instance)
            {
                _acknowledgedCreates[instance.Id] = true;
            }
        }
    }

    /// <summary>Sends one write until the conductor acknowledges it, resending the same request after each interruption.</summary>
    private async Task<T?> AcknowledgeAsync<T>(Func<CancellationToken, Task<T>> write, string what, CancellationToken stop)
        where T : class
    {
        bool interrupted = false;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                T result = await write(CancellationToken.None).ConfigureAwait(false);
                Interlocked.Increment(ref _acknowledged);
                if (interrupted)
                {
                    Interlocked.Increment(ref _retried);
                }

                return result;
            }
            catch (ConductorUnavailableException)
            {
                // The conductor is down or was killed mid-call: same request again (applied at most once).
                interrupted = true;
                try
                {
                    await Task.Delay(50, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return null;
                }
            }
            catch (ConductorException ex)
            {
                _failures.Enqueue($"The conductor refused {what}: {ex.GetType().Name}: {ex.Message}");
                return null;
            }
        }

        return null;
    }
}
