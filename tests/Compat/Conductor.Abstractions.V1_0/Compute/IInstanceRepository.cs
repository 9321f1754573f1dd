namespace Conductor.Abstractions.Compute;

/// <summary>
/// The instances placed on the calling compute host. Host-scoped: the host comes from the connection, and another
/// host's instance is answered exactly as a missing one.
/// </summary>
[ConductorApi("instances", 1, 0)]
public interface IInstanceRepository
{
    /// <summary>Reads one of the caller's instances.</summary>
    /// <param name="instanceId">The instance.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The instance.</returns>
    /// <exception cref="NotFoundException">No such instance on the caller's host.</exception>
    Task<Instance> GetAsync(Guid instanceId, CancellationToken cancellationToken);

    /// <summary>Lists the caller's instances one keyset page at a time, in identifier order.</summary>
    /// <param name="page">Where to start and how many to return.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    Task<Page<Instance>> ListAsync(PageRequest page, CancellationToken cancellationToken);

    /// <summary>Applies the changed fields of one of the caller's instances if its task state is the expected one.</summary>
    /// <param name="update">The expectation and the changed fields.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The instance after the update.</returns>
    /// <exception cref="NotFoundException">No such instance on the caller's host.</exception>
    /// <exception cref="ConflictException">The task state was not the expected one.</exception>
    Task<Instance> UpdateAsync(InstanceUpdate update, CancellationToken cancellationToken);

    /// <summary>Marks one of the caller's instances deleted, after the host destroyed it.</summary>
    /// <param name="deletion">The instance and the expected task state.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The instance, now deleted.</returns>
    /// <exception cref="NotFoundException">No such instance on the caller's host.</exception>
    /// <exception cref="ConflictException">The task state was not the expected one.</exception>
    Task<Instance> MarkDeletedAsync(InstanceDeletion deletion, CancellationToken cancellationToken);
}
