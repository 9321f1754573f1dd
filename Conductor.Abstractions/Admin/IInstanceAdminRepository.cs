using Conductor.Abstractions.Compute;

namespace Conductor.Abstractions.Admin;

/// <summary>Operators' access to every instance in the cluster. Only admin connections may call it.</summary>
[ConductorApi("admin.instances", 1, 1, Audience = ConductorRole.Admin)]
public interface IInstanceAdminRepository
{
    /// <summary>
    /// Creates an instance and schedules it onto an up, enabled compute host with enough free capacity. Concurrent
    /// creates never overcommit a host. Retrying the same request returns the same instance.
    /// </summary>
    /// <param name="create">The name and flavor.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new instance, in <see cref="VmState.Building"/> / <see cref="TaskState.Scheduling"/>.</returns>
    /// <exception cref="NoCapacityException">No up host has room for the flavor.</exception>
    /// <exception cref="InvalidRequestException">The name or flavor is invalid.</exception>
    Task<Instance> CreateAsync(InstanceCreate create, CancellationToken cancellationToken);

    /// <summary>Asks for an instance's deletion: its task state becomes <see cref="TaskState.Deleting"/> and its host destroys it.</summary>
    /// <param name="delete">The instance.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The instance after the request.</returns>
    /// <exception cref="NotFoundException">No such instance.</exception>
    Task<Instance> DeleteAsync(InstanceDeleteRequest delete, CancellationToken cancellationToken);

    /// <summary>Reads any instance.</summary>
    /// <param name="instanceId">The instance.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The instance.</returns>
    /// <exception cref="NotFoundException">No such instance.</exception>
    [SafeToRetry]
    Task<Instance> GetAsync(Guid instanceId, CancellationToken cancellationToken);

    /// <summary>Lists every instance one keyset page at a time, in identifier order.</summary>
    /// <param name="page">Where to start and how many to return.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    [SafeToRetry]
    Task<Page<Instance>> ListAsync(PageRequest page, CancellationToken cancellationToken);
}
