using Conductor.Abstractions;

namespace Conductor.Host.Tests.Versioning.Apis;

/// <summary>A test API at 1.2, served by the conductor: one member per minor, and a DTO field added in 1.2.</summary>
[ConductorApi("ticker", 1, 2)]
public interface ITicker
{
    Task<Tick> NowAsync(CancellationToken cancellationToken);

    [ConductorSince(1, 1)]
    Task<int> AddAsync(int left, int right, CancellationToken cancellationToken);

    [ConductorSince(1, 2)]
    Task<string> ZoneAsync(CancellationToken cancellationToken);
}
