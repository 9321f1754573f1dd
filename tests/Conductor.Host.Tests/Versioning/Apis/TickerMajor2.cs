namespace Conductor.Host.Tests.Versioning.Apis;

/// <summary>The conductor's implementation of <see cref="ITickerMajor2"/>.</summary>
internal sealed class TickerMajor2 : ITickerMajor2
{
    public Task<long> NowAsync(CancellationToken cancellationToken) => Task.FromResult(42L);
}
