namespace Conductor.Host.Tests.Versioning.Apis;

/// <summary>The conductor's implementation of <see cref="ITicker"/>.</summary>
internal sealed class Ticker : ITicker
{
    public Task<Tick> NowAsync(CancellationToken cancellationToken) => Task.FromResult(new Tick { Ticks = 42, Zone = "UTC" });

    public Task<int> AddAsync(int left, int right, CancellationToken cancellationToken) => Task.FromResult(left + right);

    public Task<string> ZoneAsync(CancellationToken cancellationToken) => Task.FromResult("UTC");
}
