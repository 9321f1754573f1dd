using Conductor.Abstractions;

namespace Conductor.Host.Tests.Versioning.Apis;

/// <summary>The ticker API after an incompatible change: major 2.</summary>
[ConductorApi("ticker", 2, 0)]
public interface ITickerMajor2
{
    Task<long> NowAsync(CancellationToken cancellationToken);
}
