namespace Conductor.Abstractions.Compute;

/// <summary>
/// The instances placed on the calling compute host. Host-scoped: the host comes from the connection, and another
/// host's instance is answered exactly as a missing one.
/// </summary>
/// <remarks>
/// Version history: 1.0 (foundation); 1.1 added <see cref="GetManyAsync"/> and <see cref="Instance.Metadata"/>. This
/// release accepts 1.0 and 1.1; the next conductor release accepts 1.1 and later only, so compute hosts on 1.0 must be
/// upgraded before the conductor's next upgrade (<c>conductor upgrade check</c> lists them).
/// </remarks>
[ConductorApi("instances", 1, 1, NextReleaseMinimumMinor = 1)]
public interface IInstanceRepository
{
    /// <summary>Reads one of the caller's instances.</summary>
    /// <param name="instanceId">The instance.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The instance.</returns>
    /// <exception cref="NotFoundException">No such instance on the caller's host.</exception>
    [SafeToRetry]
    Task<Instance> GetAsync(Guid instanceId, CancellationToken cancellationToken);

    /// <summary>
    /// Reads several of the caller's instances in one call (added in 1.1). Identifiers of instances that do not exist
    /// or are not on the caller's host are left out of the answer, exactly as if they did not exist; soft-deleted
    /// instances are included.
    /// </summary>
    /// <param name="instanceIds">The instances, 1 to <see cref="PageRequest.MaxLimit"/> identifiers (repeats are read once).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The instances found, in the order first asked for.</returns>
    /// <exception cref="InvalidRequestException">No identifiers, or more than <see cref="PageRequest.MaxLimit"/>.</exception>
    /// <exception cref="VersionNotSupportedException">The conductor serves instances 1.0 (raised by the proxy before sending).</exception>
    [ConductorSince(1, 1)]
    [SafeToRetry]
    Task<IReadOnlyList<Instance>> GetManyAsync(IReadOnlyList<Guid> instanceIds, CancellationToken cancellationToken);

    /// <summary>Lists the caller's instances one keyset page at a time, in identifier order.</summary>
    /// <param name="page">Where to start and how many to return.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    [SafeToRetry]
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
