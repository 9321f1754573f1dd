using BenchmarkDotNet.Attributes;
using Conductor.Abstractions.Compute;
using Conductor.Benchmarks.Floors;
using Conductor.Benchmarks.Infrastructure;
using Conductor.Host.Storage;
using Conductor.Host.Storage.Documents;
using LiteDB;

namespace Conductor.Benchmarks;

/// <summary>
/// The floors the product is measured against, in the same run: a framed TCP round trip with no RPC, LiteDB's own
/// FindById (alone, and from 16 and 64 concurrent callers) and Update with no repository, RPC or sync, and one fsync
/// of an appended page; and, composed into one operation, a framed round trip whose server does that Update and that
/// fsync before it answers (the physics of a durable write: the wake-ups after a blocking fsync, with no RPC stack,
/// group commit or repository). The direct repository (which answers reads of recently written instances from memory, see
/// <c>InstanceWriteCache</c>) is in <see cref="InstanceCallBenchmarks"/>.
/// </summary>
public class FloorBenchmarks
{
    private BenchConductor _conductor = null!;
    private FramedEcho _echo = null!;
    private FramedEcho _durableEcho = null!;
    private SyncedLog _log = null!;
    private ILiteCollection<InstanceDocument> _collection = null!;
    private InstanceDocument _document = null!;
    private IStorageSync _sync = null!;
    private string _logFile = string.Empty;
    private Guid _id;
    private Guid[] _ids = [];
    private int _updates;

    /// <summary>Starts the conductor (for its database), the echo server and the synced file.</summary>
    /// <returns>A task that completes when all are ready.</returns>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        _conductor = await BenchConductor.StartAsync(InstanceCallBenchmarks.ManyCallers).ConfigureAwait(false);
        _ids = [.. _conductor.Instances];
        _id = _ids[0];
        _collection = _conductor.Database.Instances;
        _document = _collection.FindById(_id);
        _logFile = _conductor.Database.Paths.LogFile;
        _sync = _conductor.Sync;
        _echo = await FramedEcho.StartAsync().ConfigureAwait(false);
        _log = new SyncedLog(Path.Combine(Path.GetTempPath(), "conductor-bench", "fsync-" + Guid.NewGuid().ToString("N")));
        _durableEcho = await FramedEcho.StartAsync(() =>
        {
            LiteDb_Update();
            _log.AppendAndSync();
        }).ConfigureAwait(false);
    }

    /// <summary>Stops everything.</summary>
    /// <returns>A task that completes when everything is released.</returns>
    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _durableEcho.DisposeAsync().ConfigureAwait(false);
        _log.Dispose();
        await _echo.DisposeAsync().ConfigureAwait(false);
        await _conductor.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>One framed request and answer of instances.Get's sizes over loopback TCP.</summary>
    /// <returns>The answer's length.</returns>
    [Benchmark]
    public Task<int> Tcp_round_trip() => _echo.RoundTripAsync();

    /// <summary>
    /// The three floors of a sequential durable write composed into one operation: a framed round trip of the same sizes
    /// whose server, on the thread that read the request, does <see cref="LiteDb_Update"/> and <see cref="Fsync_page"/>
    /// before it answers. Unlike the sum of the three measured apart, it includes what a blocking fsync costs the
    /// round trip around it: the threads of both sides go to sleep during it and must be woken for the answer.
    /// </summary>
    /// <returns>The answer's length.</returns>
    [Benchmark]
    public Task<int> Tcp_round_trip_with_update_and_fsync() => _durableEcho.RoundTripAsync();

    /// <summary>LiteDB's FindById of the instance document, in process.</summary>
    /// <returns>The document's revision (the document type is the conductor's own, not public).</returns>
    [Benchmark]
    public long LiteDb_FindById() => _collection.FindById(_id).Revision;

    /// <summary>LiteDB's own concurrent reads: FindById from 16 callers at once, each of its own instance, as the product's <c>Get_16_callers</c>.</summary>
    /// <returns>A task that completes when every read has.</returns>
    [Benchmark(OperationsPerInvoke = InstanceCallBenchmarks.Callers * InstanceCallBenchmarks.CallsEach)]
    public Task LiteDb_FindById_16_callers() => FindConcurrently(InstanceCallBenchmarks.Callers);

    /// <summary>LiteDB's own concurrent reads from 64 callers at once.</summary>
    /// <returns>A task that completes when every read has.</returns>
    [Benchmark(OperationsPerInvoke = InstanceCallBenchmarks.ManyCallers * InstanceCallBenchmarks.CallsEach)]
    public Task LiteDb_FindById_64_callers() => FindConcurrently(InstanceCallBenchmarks.ManyCallers);

    /// <summary>LiteDB's Update of the instance document (committed to LiteDB's log, not synced).</summary>
    /// <returns>Whether the document was found.</returns>
    [Benchmark]
    public bool LiteDb_Update()
    {
        _document.PowerState = (++_updates & 1) == 0 ? PowerState.Running : PowerState.Shutdown;
        _document.Revision++;
        bool updated = _collection.Update(_document);

        // Nothing syncs here, so nothing checkpoints: keep LiteDB's log as short as the conductor's checkpoint keeps it.
        if ((_updates & 1023) == 0 && new FileInfo(_logFile).Length > 8L * 1024 * 1024)
        {
            _conductor.Database.Database.Checkpoint();
        }

        return updated;
    }

    /// <summary>
    /// Not a floor but the first step of the breakdown of a durable write: LiteDB's Update followed, on this thread,
    /// by the conductor's own sync of LiteDB's files (no group-commit thread, no RPC).
    /// </summary>
    /// <returns>Whether the document was found.</returns>
    [Benchmark]
    public bool LiteDb_Update_then_sync()
    {
        bool updated = LiteDb_Update();
        _sync.Sync();
        return updated;
    }

    /// <summary>Appends one 8 KiB page to a file and fsyncs it.</summary>
    [Benchmark]
    public void Fsync_page() => _log.AppendAndSync();

    private Task FindConcurrently(int callers) => Concurrent.RunAsync(callers, InstanceCallBenchmarks.CallsEach, (caller, call) =>
    {
        _ = _collection.FindById(_ids[caller]) ?? throw new InvalidOperationException($"Instance {_ids[caller]} is missing (read {call} of caller {caller}).");
        return Task.CompletedTask;
    });
}
