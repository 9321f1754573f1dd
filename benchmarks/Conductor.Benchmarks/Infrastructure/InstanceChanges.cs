using Conductor.Abstractions.Compute;

namespace Conductor.Benchmarks.Infrastructure;

/// <summary>The write the benchmarks make: a compare-and-swap that flips the power state, as a host's power sync does.</summary>
public static class InstanceChanges
{
    /// <summary>Builds an update of <paramref name="instanceId"/> that expects no task state and sets a power state.</summary>
    /// <param name="instanceId">The instance.</param>
    /// <param name="sequence">The call's sequence number: even and odd numbers set different power states.</param>
    /// <returns>The update, with a new request id.</returns>
    public static InstanceUpdate PowerFlip(Guid instanceId, int sequence) => new()
    {
        InstanceId = instanceId,
        ExpectedTaskState = TaskState.None,
        PowerState = (sequence & 1) == 0 ? PowerState.Running : PowerState.Shutdown,
    };
}
