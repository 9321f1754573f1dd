using Conductor.Abstractions.Compute;

namespace Conductor.Abstractions.Admin;

/// <summary>Operators' view of every compute service. Only admin connections may call it.</summary>
[ConductorApi("admin.services", 1, 0, Audience = ConductorRole.Admin)]
public interface IServiceAdminRepository
{
    /// <summary>
    /// Lists every service record with up/down computed from its heartbeat age against the conductor's threshold,
    /// ordered by host name.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The services.</returns>
    [SafeToRetry]
    Task<IReadOnlyList<ServiceStatus>> ListAsync(CancellationToken cancellationToken);
}
