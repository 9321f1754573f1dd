using Conductor.Abstractions;

namespace Conductor.Host.Tests.Versioning.Apis;

/// <summary>A client built against ticker 2.0, newer in major than the conductor.</summary>
[ConductorApi("ticker", 2, 0)]
public interface ITickerV2_0
{
    Task<long> NowAsync(CancellationToken cancellationToken);
}
