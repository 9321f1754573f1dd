namespace Conductor.Abstractions.Compute;

/// <summary>The action log of the calling host's instances. Host-scoped like <see cref="IInstanceRepository"/>.</summary>
[ConductorApi("instance-actions", 1, 0)]
public interface IInstanceActionRepository
{
    /// <summary>Records that an operation started. Retrying the same request returns the same action.</summary>
    /// <param name="start">The instance and the operation.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The recorded action.</returns>
    /// <exception cref="NotFoundException">No such instance on the caller's host.</exception>
    Task<InstanceAction> StartAsync(InstanceActionStart start, CancellationToken cancellationToken);

    /// <summary>Records how an operation ended.</summary>
    /// <param name="finish">The action and its result.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The finished action.</returns>
    /// <exception cref="NotFoundException">No such action on the caller's host.</exception>
    /// <exception cref="ConflictException">The action already finished with a different result.</exception>
    Task<InstanceAction> FinishAsync(InstanceActionFinish finish, CancellationToken cancellationToken);

    /// <summary>Lists the actions of one of the caller's instances, oldest first.</summary>
    /// <param name="instanceId">The instance.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The actions.</returns>
    /// <exception cref="NotFoundException">No such instance on the caller's host.</exception>
    Task<IReadOnlyList<InstanceAction>> ListAsync(Guid instanceId, CancellationToken cancellationToken);
}
