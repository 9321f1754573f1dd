using Conductor.Abstractions.Compute;

namespace Compute.Host.Hypervisor;

/// <summary>The hypervisor the compute host drives (Nova's virt driver). Calls are idempotent so that a resumed operation can repeat them.</summary>
internal interface IHypervisorDriver
{
    /// <summary>Builds and starts an instance. Does nothing when the instance is already running.</summary>
    /// <param name="instance">The instance to build.</param>
    /// <param name="cancellationToken">Cancels the build.</param>
    /// <returns>A task that completes when the instance runs.</returns>
    Task SpawnAsync(Instance instance, CancellationToken cancellationToken);

    /// <summary>Stops and removes an instance. Does nothing when the instance is not running.</summary>
    /// <param name="instanceId">The instance to destroy.</param>
    /// <param name="cancellationToken">Cancels the destruction.</param>
    /// <returns>A task that completes when the instance is gone.</returns>
    Task DestroyAsync(Guid instanceId, CancellationToken cancellationToken);

    /// <summary>Lists the instances the hypervisor runs now, from which the host computes its usage.</summary>
    /// <returns>A snapshot of the running instances.</returns>
    IReadOnlyList<Instance> GetRunningInstances();
}
