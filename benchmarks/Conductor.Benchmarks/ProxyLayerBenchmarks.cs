using BenchmarkDotNet.Attributes;
using Conductor.Abstractions.Compute;
using Conductor.Benchmarks.Infrastructure;

namespace Conductor.Benchmarks;

/// <summary>
/// The cost of the conductor's proxy layer (Castle interceptor, precompiled invoker, per-call deadline, typed errors)
/// against StreamJsonRpc's own <c>JsonRpc.Attach&lt;T&gt;</c> proxy, on the same transport, formatter and conductor.
/// </summary>
public class ProxyLayerBenchmarks
{
    private BenchConductor _conductor = null!;
    private ProxyClient _castle = null!;
    private AttachClient _attach = null!;
    private Guid _id;

    /// <summary>Gets or sets the transport both proxies use.</summary>
    [Params(Transport.Pipe, Transport.Tcp)]
    public Transport Transport { get; set; }

    /// <summary>Starts the conductor and connects both proxies.</summary>
    /// <returns>A task that completes when both are connected.</returns>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        _conductor = await BenchConductor.StartAsync(1).ConfigureAwait(false);
        _id = _conductor.Instances[0];
        bool tcp = Transport == Transport.Tcp;
        _castle = tcp ? await ProxyClient.ConnectTcpAsync(_conductor).ConfigureAwait(false) : await ProxyClient.ConnectPipeAsync(_conductor).ConfigureAwait(false);
        _attach = tcp ? await AttachClient.ConnectTcpAsync(_conductor).ConfigureAwait(false) : await AttachClient.ConnectPipeAsync(_conductor).ConfigureAwait(false);
    }

    /// <summary>Disconnects and stops the conductor.</summary>
    /// <returns>A task that completes when everything is released.</returns>
    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _attach.Dispose();
        await _castle.DisposeAsync().ConfigureAwait(false);
        await _conductor.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Reads one instance through StreamJsonRpc's own proxy.</summary>
    /// <returns>The instance.</returns>
    [Benchmark(Baseline = true)]
    public Task<Instance> Attach_Get() => _attach.Instances.GetAsync(_id, CancellationToken.None);

    /// <summary>Reads one instance through the conductor's Castle proxy.</summary>
    /// <returns>The instance.</returns>
    [Benchmark]
    public Task<Instance> Castle_Get() => _castle.Instances.GetAsync(_id, CancellationToken.None);
}
