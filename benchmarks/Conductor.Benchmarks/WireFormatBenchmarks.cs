using BenchmarkDotNet.Attributes;
using Conductor.Abstractions.Compute;
using Conductor.Benchmarks.Infrastructure;

namespace Conductor.Benchmarks;

/// <summary>
/// JSON (System.Text.Json, the conductor's wire) against MessagePack (StreamJsonRpc's <c>MessagePackFormatter</c>) on
/// the same transport, StreamJsonRpc's own <c>JsonRpc.Attach&lt;T&gt;</c> proxy on the client and the same direct
/// repository behind the server: a read, a durable compare-and-swap write, and a page of 1,000 instances (the largest
/// page a caller may ask for, where a binary format has the most to win).
/// </summary>
public class WireFormatBenchmarks
{
    /// <summary>The instances seeded, all on the benchmark host: one full page.</summary>
    public const int PageSize = PageRequest.MaxLimit;

    private static readonly PageRequest s_page = new() { Limit = PageSize };

    private BenchConductor _conductor = null!;
    private DirectScope _direct = null!;
    private FormatChannel _json = null!;
    private FormatChannel _messagePack = null!;
    private Guid _id;
    private int _sequence;

    /// <summary>Gets or sets the transport both formats use.</summary>
    [Params(Transport.Pipe, Transport.Tcp)]
    public Transport Transport { get; set; }

    /// <summary>Starts the conductor with a page of instances and connects a channel in each format.</summary>
    /// <returns>A task that completes when both channels are connected.</returns>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        _conductor = await BenchConductor.StartAsync(PageSize).ConfigureAwait(false);
        _id = _conductor.Instances[0];
        _direct = _conductor.OpenDirect();
        IInstanceRepository target = _direct.Get<IInstanceRepository>();
        _json = await FormatChannel.ConnectAsync(target, WireFormat.Json, Transport).ConfigureAwait(false);
        _messagePack = await FormatChannel.ConnectAsync(target, WireFormat.MessagePack, Transport).ConfigureAwait(false);
    }

    /// <summary>Disconnects and stops the conductor.</summary>
    /// <returns>A task that completes when everything is released.</returns>
    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _json.Dispose();
        _messagePack.Dispose();
        await _direct.DisposeAsync().ConfigureAwait(false);
        await _conductor.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Gets the direct repository both servers call, for the in-process cost of the same calls.</summary>
    internal IInstanceRepository Direct => _direct.Get<IInstanceRepository>();

    /// <summary>Gets the page request of the list benchmarks.</summary>
    internal static PageRequest FullPage => s_page;

    /// <summary>Gets the identifier of the instance read and updated.</summary>
    internal Guid InstanceId => _id;

    /// <summary>Gets the channel of a format, for the byte counts.</summary>
    /// <param name="format">The format.</param>
    /// <returns>The channel.</returns>
    internal FormatChannel Channel(WireFormat format) => format == WireFormat.Json ? _json : _messagePack;

    /// <summary>Reads one instance in JSON.</summary>
    /// <returns>The instance.</returns>
    [Benchmark(Baseline = true)]
    public Task<Instance> Json_Get() => _json.Instances.GetAsync(_id, CancellationToken.None);

    /// <summary>Reads one instance in MessagePack.</summary>
    /// <returns>The instance.</returns>
    [Benchmark]
    public Task<Instance> MessagePack_Get() => _messagePack.Instances.GetAsync(_id, CancellationToken.None);

    /// <summary>Updates one instance (durable compare-and-swap) in JSON.</summary>
    /// <returns>The instance after the update.</returns>
    [Benchmark]
    public Task<Instance> Json_Update() => _json.Instances.UpdateAsync(InstanceChanges.PowerFlip(_id, _sequence++), CancellationToken.None);

    /// <summary>Updates one instance (durable compare-and-swap) in MessagePack.</summary>
    /// <returns>The instance after the update.</returns>
    [Benchmark]
    public Task<Instance> MessagePack_Update() => _messagePack.Instances.UpdateAsync(InstanceChanges.PowerFlip(_id, _sequence++), CancellationToken.None);

    /// <summary>Lists a page of 1,000 instances in JSON.</summary>
    /// <returns>The page.</returns>
    [Benchmark]
    public Task<Page<Instance>> Json_List_1000() => _json.Instances.ListAsync(s_page, CancellationToken.None);

    /// <summary>Lists a page of 1,000 instances in MessagePack.</summary>
    /// <returns>The page.</returns>
    [Benchmark]
    public Task<Page<Instance>> MessagePack_List_1000() => _messagePack.Instances.ListAsync(s_page, CancellationToken.None);
}
