using Conductor.Abstractions;

namespace Conductor.Host.Tests.Versioning.Apis;

/// <summary>A client built against ticker 1.0: an older compute host.</summary>
[ConductorApi("ticker", 1, 0)]
public interface ITickerV1_0
{
    Task<TickV1_0> NowAsync(CancellationToken cancellationToken);
}
