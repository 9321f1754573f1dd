using BenchmarkDotNet.Attributes;
using Conductor.Abstractions.Compute;
using Conductor.Benchmarks.Infrastructure;

namespace Conductor.Benchmarks;

/// <summary>
/// Reads over TCP from a conductor whose writer keeps no instances in memory (<c>InstanceWriteCacheSize</c> = 0), so
/// that every read is a LiteDB query: what a read of an instance that no write has touched since the conductor
/// started costs, next to <see cref="InstanceCallBenchmarks"/>' reads of recently written instances.
/// </summary>
public class UncachedReadBenchmarks
{
    private BenchConductor _conductor = null!;
    private ProxyClient _proxy = null!;
    private Guid[] _ids = [];

    /// <summary>Starts the conductor without the cache and connects over TCP.</summary>
    /// <returns>A task that completes when the caller is connected.</returns>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        _conductor = await BenchConductor.StartAsync(InstanceCallBenchmarks.Callers, instanceWriteCacheSize: 0).ConfigureAwait(false);
        _ids = [.. _conductor.Instances];
        _proxy = await ProxyClient.ConnectTcpAsync(_conductor).ConfigureAwait(false);
    }

    /// <summary>Disconnects and stops the conductor.</summary>
    /// <returns>A task that completes when everything is released.</returns>
    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _proxy.DisposeAsync().ConfigureAwait(false);
        await _conductor.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Reads one instance, from LiteDB.</summary>
    /// <returns>The instance.</returns>
    [Benchmark]
    public Task<Instance> Get_from_LiteDb() => _proxy.Instances.GetAsync(_ids[0], CancellationToken.None);

    /// <summary>Reads with 16 callers at once, each its own instance, every read from LiteDB.</summary>
    /// <returns>A task that completes when every read has.</returns>
    [Benchmark(OperationsPerInvoke = InstanceCallBenchmarks.Callers * InstanceCallBenchmarks.CallsEach)]
    public Task Get_16_callers_from_LiteDb() => Concurrent.RunAsync(
        InstanceCallBenchmarks.Callers, InstanceCallBenchmarks.CallsEach, (caller, _) => _proxy.Instances.GetAsync(_ids[caller], CancellationToken.None));
}
