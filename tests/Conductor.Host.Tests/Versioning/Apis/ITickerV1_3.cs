using Conductor.Abstractions;

namespace Conductor.Host.Tests.Versioning.Apis;

/// <summary>A client built against ticker 1.3: a compute host newer than the conductor.</summary>
[ConductorApi("ticker", 1, 3)]
public interface ITickerV1_3
{
    Task<Tick> NowAsync(CancellationToken cancellationToken);

    [ConductorSince(1, 1)]
    Task<int> AddAsync(int left, int right, CancellationToken cancellationToken);

    [ConductorSince(1, 2)]
    Task<string> ZoneAsync(CancellationToken cancellationToken);

    [ConductorSince(1, 3)]
    Task<string> EchoAsync(string text, CancellationToken cancellationToken);
}
