using Conductor.Abstractions;

namespace Conductor.Host.Tests.Versioning.Apis;

/// <summary>A client that cannot work with less than ticker 1.3.</summary>
[ConductorApi("ticker", 1, 3, MinimumMinor = 3)]
public interface ITickerNeeds1_3
{
    Task<Tick> NowAsync(CancellationToken cancellationToken);
}
