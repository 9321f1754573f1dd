namespace Conductor.Abstractions.Compute;

/// <summary>The calling compute host's own service record. Host-scoped: the host comes from the connection.</summary>
[ConductorApi("services", 1, 0)]
public interface IServiceRepository
{
    /// <summary>Creates or updates the caller's service record and stamps a heartbeat.</summary>
    /// <param name="registration">What the host says about itself.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored record.</returns>
    Task<ServiceRecord> RegisterAsync(ServiceRegistration registration, CancellationToken cancellationToken);

    /// <summary>Stamps a heartbeat with the conductor's clock.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated record.</returns>
    /// <exception cref="NotFoundException">The host has not registered.</exception>
    [SafeToRetry]
    Task<ServiceRecord> HeartbeatAsync(CancellationToken cancellationToken);

    /// <summary>Reads the caller's service record.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The record.</returns>
    /// <exception cref="NotFoundException">The host has not registered.</exception>
    [SafeToRetry]
    Task<ServiceRecord> GetAsync(CancellationToken cancellationToken);
}
