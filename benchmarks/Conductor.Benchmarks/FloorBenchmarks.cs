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
/// FindById and Update with no repository, RPC or sync, and one fsync of an appended page. The direct repository
/// (LiteDB plus the mapping the conductor does for every call) is in <see cref="InstanceCallBenchmarks"/>.
/// </summary>
public class FloorBenchmarks
{
    private BenchConductor _conductor = null!;
    private FramedEcho _echo = null!;
    private SyncedLog _log = null!;
    private ILiteCollection<InstanceDocument> _collection = null!;
    private InstanceDocument _document = null!;
    private IStorageSync _sync = null!;
    private string _logFile = string.Empty;
    private Guid _id;
    private int _updates;

    /// <summary>Starts the conductor (for its database), the echo server and the synced file.</summary>
    /// <returns>A task that completes when all are ready.</returns>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        _conductor = await BenchConductor.StartAsync(1).ConfigureAwait(false);
        _id = _conductor.Instances[0];
        _collection = _conductor.Database.Instances;
        _document = _collection.FindById(_id);
        _logFile = _conductor.Database.Paths.LogFile;
        _sync = _conductor.Sync;
        _echo = await FramedEcho.StartAsync().ConfigureAwait(false);
        _log = new SyncedLog(Path.Combine(Path.GetTempPath(), "conductor-bench", "fsync-" + Guid.NewGuid().ToString("N")));
    }

    /// <summary>Stops everything.</summary>
    /// <returns>A task that completes when everything is released.</returns>
    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _log.Dispose();
        await _echo.DisposeAsync().ConfigureAwait(false);
        await _conductor.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>One framed request and answer of instances.Get's sizes over loopback TCP.</summary>
    /// <returns>The answer's length.</returns>
    [Benchmark]
    public Task<int> Tcp_round_trip() => _echo.RoundTripAsync();

    /// <summary>LiteDB's FindById of the instance document, in process.</summary>
    /// <returns>The document's revision (the document type is the conductor's own, not public).</returns>
    [Benchmark]
    public long LiteDb_FindById() => _collection.FindById(_id).Revision;

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
}
