using Conductor.Abstractions.Persistence;
using Conductor.Host.Storage.Documents;
using Conductor.Host.Storage.Schema;
using LiteDB;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Conductor.Host.Storage;

/// <summary>
/// The conductor's LiteDB database: owns the data directory (exclusive lock), opens the file in direct mode, and
/// makes acknowledged writes durable with group commit.
/// </summary>
/// <remarks>
/// <para>
/// Durability. LiteDB 5.0.21 writes each commit to <c>conductor-log.db</c> (synchronously, one write per page) without
/// an <c>fsync</c>. Writes go through <see cref="WriteAsync{T}"/>, which applies them in group-commit batches
/// (<see cref="GroupCommit"/>): one transaction per batch, committed, then one <see cref="IStorageSync.Sync"/>, and only
/// then the replies. <see cref="WaitForDurableAsync"/> joins the next batch, whose sync covers every commit made before it.
/// </para>
/// <para>
/// Checkpoints. A checkpoint copies confirmed log pages into the data file and then truncates the log, so a commit
/// acknowledged from the log must be on disk in the data file before the log shrinks. The 5.0.21 source
/// (<c>WalIndexService.CheckpointInternal</c> -> <c>DiskService.WriteDataDisk</c>, which ends with
/// <c>FlushToDisk</c>, then <c>Clear</c> -> <c>SetLength(0, Log)</c>) does sync the data file before truncating,
/// checked against the shipped assembly's IL. Even so, the automatic checkpoint is turned off
/// (<c>CheckpointSize = 0</c>) and the checkpoint is run after a batch's sync instead, followed by another sync of
/// both files: all fsyncs then happen in one place this code controls, writers never pay for a checkpoint inside
/// their commit, and the order does not depend on an internal detail of LiteDB surviving an upgrade. Because
/// LiteDB's own close only checkpoints when the pragma is positive, <see cref="Dispose"/> checkpoints explicitly.
/// </para>
/// <para>
/// Storage faults. LiteDB 5 closes its engine on any I/O error. Writes therefore go through
/// <see cref="WriteAsync{T}"/>, which turns such an error (or a failed sync) into a <see cref="Abstractions.StorageFailureException"/>
/// and reopens the database read-only: reads keep working, every later write is refused with the same clear error,
/// and nothing more is written to the files until an operator has fixed the disk and restarted the conductor.
/// </para>
/// </remarks>
internal sealed partial class LiteDbConductorDatabase : IConductorDatabase, IDisposable
{
    /// <summary>The LiteDB page size: a data file must be a whole number of these.</summary>
    internal const int PageSize = 8192;

    /// <summary>The log size (in bytes) above which a batch checkpoints after its sync: LiteDB's own default of 1000 pages.</summary>
    internal const long CheckpointLogBytes = 1000L * PageSize;

    private readonly OwnerLock _ownerLock;
    private readonly IStorageSync _sync;
    private readonly GroupCommit _groupCommit;
    private readonly StorageSettings _settings;
    private readonly ILogger _logger;
    private readonly long _openedAt;
    private readonly List<Stream> _streams = [];
    private volatile LiteDatabase _database;
    private volatile PreallocatedLogStream _log = null!;
    private bool _zeroAheadPaused;
    private readonly Lock _housekeepingGate = new();
    private readonly Func<Guid, InstanceDocument?> _findInstance;
    private long _lastPruneAt;
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="LiteDbConductorDatabase"/> class from the conductor's options.</summary>
    /// <param name="options">The options; <see cref="ConductorOptions.DataDirectory"/> and <see cref="ConductorOptions.RequestLedgerRetention"/> are used.</param>
    /// <param name="sync">The sync seam.</param>
    /// <param name="time">The conductor's clock.</param>
    /// <param name="logger">The logger.</param>
    public LiteDbConductorDatabase(IOptions<ConductorOptions> options, IStorageSync sync, TimeProvider time, ILogger<LiteDbConductorDatabase> logger)
        : this(
            StoragePaths.For(options?.Value.DataDirectory ?? throw new ArgumentNullException(nameof(options))),
            sync,
            logger,
            new StorageSettings
            {
                Time = time,
                RequestLedgerRetention = options.Value.RequestLedgerRetention,
                Schema = new SchemaPolicy(options.Value.MigrateDatabaseOnStart),
                ZeroLogAhead = options.Value.ZeroLogAhead,
                InstanceWriteCacheSize = options.Value.InstanceWriteCacheSize,
            })
    {
    }

    /// <summary>Initializes a new instance of the <see cref="LiteDbConductorDatabase"/> class.</summary>
    /// <param name="paths">The data directory's files.</param>
    /// <param name="sync">The sync seam, or <see langword="null"/> for <see cref="FileStorageSync"/>.</param>
    /// <param name="logger">The logger, or <see langword="null"/> for none.</param>
    /// <param name="settings">The clock, ledger retention and stream seam, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="DataDirectoryInUseException">Another conductor owns the directory.</exception>
    /// <exception cref="DatabaseFileDamagedException">The database file is unreadable, too short, truncated or not a LiteDB 5 file.</exception>
    /// <exception cref="DatabaseSchemaMismatchException">The schema is newer than this conductor, or older and <see cref="StorageSettings.Schema"/> says not to migrate it.</exception>
    public LiteDbConductorDatabase(StoragePaths paths, IStorageSync? sync = null, ILogger? logger = null, StorageSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        Paths = paths;
        _sync = sync ?? new FileStorageSync(paths);
        _logger = logger ?? NullLogger.Instance;
        _settings = settings ?? StorageSettings.Default;
        _openedAt = _settings.Time.GetTimestamp();

        Directory.CreateDirectory(paths.DataDirectory);
        _ownerLock = OwnerLock.Acquire(paths);
        try
        {
            DatabaseFileCheck.RefuseDamaged(paths.DataFile);
            _database = Open(readOnly: false);
            Schema = SchemaMigrator.Prepare(_database, paths.DataFile, _settings.Schema, _sync.Sync, _logger);
            Ledger = new RequestLedger(() => _database);
            InstanceCache = new InstanceWriteCache(_settings.InstanceWriteCacheSize);
            _findInstance = id => Instances.FindById(id);
            if (InstanceCache.Capacity > 0)
            {
                // Live instances in id order through their index (deleted ones have no live key), at most one generation.
                InstanceCache.Load(Instances.Find(Query.GT(nameof(InstanceDocument.LiveIdKey), string.Empty), limit: InstanceCache.Capacity));
            }

            HostUsage = new Repositories.HostUsage(host => Repositories.HostCapacity.LiveInstances(this, host));
            SchedulingHosts = new Repositories.SchedulingHosts(Services.FindAll(), ComputeNodes.FindAll());
            _groupCommit = new GroupCommit(CommitBatch, SyncOrFail, Housekeeping, Location, _logger);
        }
        catch
        {
            _database?.Dispose();
            DisposeStreams();
            _ownerLock.Dispose();
            throw;
        }

        _logger.LogInformation("Opened the conductor's database at {Location}.", Location);
    }

    /// <summary>Gets the data directory's files.</summary>
    internal StoragePaths Paths { get; }

    /// <summary>Gets what opening found and did to the schema.</summary>
    internal SchemaReport Schema { get; }

    /// <summary>
    /// Gets the open database, for the direct repositories. Never hold its transactions across an await. After a storage
    /// fault this is a read-only database; write through <see cref="WriteAsync{T}"/>, never directly.
    /// </summary>
    internal LiteDatabase Database => _database;

    /// <summary>Gets the hosts' latest heartbeats, kept in memory (see <see cref="Repositories.ServiceLiveness"/>).</summary>
    internal Repositories.ServiceLiveness Liveness { get; } = new();

    /// <summary>
    /// Gets the instances recent writes read or wrote, as committed: writes use it through <see cref="FindInstanceForWrite"/>,
    /// reads on any thread through <see cref="TryGetCommittedInstance"/>.
    /// </summary>
    internal InstanceWriteCache InstanceCache { get; }

    /// <summary>Gets what the live instances on each host use, for scheduling; only writes may use it.</summary>
    internal Repositories.HostUsage HostUsage { get; }

    /// <summary>Gets every host's service and node records for scheduling; only writes may use it.</summary>
    internal Repositories.SchedulingHosts SchedulingHosts { get; }

    /// <summary>Gets the request ledger.</summary>
    internal RequestLedger Ledger { get; }

    /// <summary>Gets the number of syncs run so far (for tests and diagnostics).</summary>
    internal long SyncCount => _groupCommit.SyncCount;

    /// <summary>Gets the number of writes and durability waits queued for group commit so far (for tests and diagnostics).</summary>
    internal long DurableWaitCount => _groupCommit.RequestCount;

    /// <summary>Gets the number of committed writes and durability waits that have joined a sync so far (for tests and diagnostics).</summary>
    internal long SyncWaitCount => _groupCommit.JoinedSyncCount;

    /// <summary>Gets the number of group-commit batches run so far (for tests and diagnostics).</summary>
    internal long BatchCount => _groupCommit.BatchCount;

    /// <summary>Gets the conductor's clock.</summary>
    internal TimeProvider Time => _settings.Time;

    /// <inheritdoc/>
    public string Location => Paths.DataFile;

    /// <summary>Gets the instance collection.</summary>
    internal ILiteCollection<InstanceDocument> Instances => Database.GetCollection<InstanceDocument>(CollectionNames.Instances);

    /// <summary>Gets the service collection.</summary>
    internal ILiteCollection<ServiceDocument> Services => Database.GetCollection<ServiceDocument>(CollectionNames.Services);

    /// <summary>Gets the compute node collection.</summary>
    internal ILiteCollection<ComputeNodeDocument> ComputeNodes => Database.GetCollection<ComputeNodeDocument>(CollectionNames.ComputeNodes);

    /// <summary>Gets the instance action collection.</summary>
    internal ILiteCollection<InstanceActionDocument> InstanceActions => Database.GetCollection<InstanceActionDocument>(CollectionNames.InstanceActions);

    /// <inheritdoc/>
    public Task WaitForDurableAsync(CancellationToken cancellationToken)
    {
        if (_readOnlyReason is { } reason)
        {
            return Task.FromException(ReadOnlyError(reason));
        }

        var barrier = new DurabilityBarrier();
        _groupCommit.Submit(barrier);
        return barrier.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Runs a last sync and checkpoint, closes the database and releases the data directory.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            _groupCommit.Dispose();
            if (IsReadOnly)
            {
                // After a storage fault nothing more is written: what was committed stays in the log for the next start.
                _database.Dispose();
            }
            else
            {
                _database.Checkpoint();
                _sync.Sync();
                _database.Dispose();

                // Closing may rewrite the header page; make that durable too.
                _sync.Sync();
            }
        }
#pragma warning disable CA1031 // Disposal must release the lock whatever happened; the failure is logged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _logger.LogError(ex, "Closing the conductor's database at {Location} failed; the next start will recover from the log.", Location);
        }
        finally
        {
            DisposeStreams();
            DeleteLogIfEmpty();
            _ownerLock.Dispose();
        }
    }

    /// <summary>
    /// Deletes the log file once the database is closed with an empty log (only zeroed space left), as LiteDB does when
    /// it opens the log itself, so a cleanly closed data directory holds the data file alone.
    /// </summary>
    private void DeleteLogIfEmpty()
    {
        if (IsReadOnly || _log is not { LogLength: 0 })
        {
            return;
        }

        try
        {
            File.Delete(Paths.LogFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogDebug(ex, "Deleting the empty log of the conductor's database at {Location} failed; the next start reads it as empty.", Location);
        }
    }

    /// <summary>
    /// Creates every collection in <see cref="CollectionNames.All"/> that the file does not have yet, each empty.
    /// </summary>
    /// <remarks>
    /// LiteDB 5.0.21 creates a collection in the first write to it, and a reader running at the same time can read
    /// garbage. A query's snapshot takes its read version from the log index first and looks the collection's page up
    /// in the shared, live header afterwards (<c>Snapshot</c>'s constructor, <c>CollectionService.Get</c>); a commit
    /// adds the name to that header (<c>TransactionPages.OnCommit</c>) before it confirms its pages in the log index
    /// (<c>TransactionService.Commit</c>). A reader caught in between finds the new collection page, but its read
    /// version does not include the page, so it reads it from the data file, where the page is not written yet: the
    /// read returns nothing and the reader parses a recycled cache buffer that still holds an unrelated page
    /// (<c>MemoryCache.GetReadablePage</c> does not clear it). LiteDB's own check then fails ("page type must be
    /// collection page", error 999) and LiteDB closes the engine, which this class takes for a storage fault: a fresh
    /// conductor whose first <c>services list</c> met a host's first registration went read-only
    /// (<c>FirstWriteRaceTests</c> reproduces it). A collection that exists before the first reader starts is never
    /// added to the header again, and every page a reader reaches from it is in its read version.
    /// </remarks>
    /// <param name="db">The database, opened for writing and not yet shared.</param>
    internal static void CreateCollections(LiteDatabase db)
    {
        var existing = new HashSet<string>(db.GetCollectionNames(), StringComparer.OrdinalIgnoreCase);
        foreach (string name in CollectionNames.All)
        {
            if (!existing.Contains(name))
            {
                // Inserting no documents still opens a write snapshot, which creates the collection and commits it.
                db.GetCollection(name).Insert(Array.Empty<BsonDocument>());
            }
        }
    }

    private static void EnsureIndexes(LiteDatabase db)
    {
        var instances = db.GetCollection<InstanceDocument>(CollectionNames.Instances);
        instances.EnsureIndex(x => x.Host);
        instances.EnsureIndex(x => x.HostKey);
        instances.EnsureIndex(x => x.LiveHostKey);
        instances.EnsureIndex(x => x.IdKey);
        instances.EnsureIndex(x => x.LiveIdKey);
        db.GetCollection<InstanceActionDocument>(CollectionNames.InstanceActions).EnsureIndex(x => x.InstanceId);
        RequestLedger.EnsureIndexes(db);

        // Services and compute nodes are keyed by host (_id), which LiteDB always indexes.
    }

    private LiteDatabase Open(bool readOnly)
    {
        // Fully built before the database is shared: LiteDB's lazy type mapping is not thread-safe (see DocumentMapper).
        BsonMapper mapper = DocumentMapper.Create();

        // Ordinal comparison, so that keyset keys sort by their characters (only applies to a new file).
        var settings = new LiteDB.Engine.EngineSettings { ReadOnly = readOnly, Collation = Collation.Binary };
        Stream? data = null;
        PreallocatedLogStream log;
        try
        {
            if (_settings.Streams is { } streams)
            {
                data = streams.Open(Paths.DataFile, readOnly);
                settings.DataStream = data;
            }
            else
            {
                // LiteDB opens the data file by name (a stream per reader); only the log is a stream of ours.
                settings.Filename = Paths.DataFile;
            }

            log = new PreallocatedLogStream(OpenLogFile(readOnly), readOnly);
        }
        catch
        {
            data?.Dispose();
            throw;
        }

        lock (_streams)
        {
            if (data is not null)
            {
                _streams.Add(data);
            }

            _streams.Add(log);
        }

        _log = log;
        settings.LogStream = log;
        bool logLeftOver = log.Length > 0;
        LiteDatabase db = new(new LiteDB.Engine.LiteEngine(settings), mapper);

        if (readOnly)
        {
            // The file already says UTC and has its collections and indexes (the read-write open that came first made
            // them); a read-only database may not write, and with no writer no collection can appear under a reader.
            return db;
        }

        try
        {
            // Before anything is written, so that a refused file is left exactly as it was.
            SchemaMigrator.Refuse(db, Paths.DataFile, _settings.Schema);
            if (logLeftOver && !TryCheckpointAtOpen(db))
            {
                // The disk is still failing (full, read-only, broken): serve reads from what the log and data file hold,
                // refuse writes, and leave both files for the next start, as after a fault at run time.
                DisposeQuietly(db);
                return Open(readOnly: true);
            }

            db.UtcDate = true;
            db.CheckpointSize = 0;
            CreateCollections(db);
            EnsureIndexes(db);
            return db;
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    /// <summary>Opens the log file for <see cref="PreallocatedLogStream"/>.</summary>
    /// <param name="readOnly">Whether the database is opened read-only.</param>
    /// <returns>The file, unbuffered (each page LiteDB writes is one positioned write), or an empty stream when a read-only open finds no log.</returns>
    private Stream OpenLogFile(bool readOnly)
    {
        if (_settings.Streams is { } streams)
        {
            return streams.Open(Paths.LogFile, readOnly);
        }

        if (readOnly && !File.Exists(Paths.LogFile))
        {
            return new MemoryStream([], writable: false);
        }

        return new FileStream(
            Paths.LogFile,
            readOnly ? FileMode.Open : FileMode.OpenOrCreate,
            readOnly ? FileAccess.Read : FileAccess.ReadWrite,
            FileShare.ReadWrite | FileShare.Delete,
            bufferSize: 0,
            FileOptions.RandomAccess);
    }

    /// <summary>
    /// Copies what the last run left in the log (after a crash) into the data file, makes that durable, and empties
    /// the log, before this run commits anything.
    /// </summary>
    /// <remarks>
    /// LiteDB 5.0.21 numbers a transaction when it begins and appends its pages when it commits, so concurrent writers
    /// can leave a log that ends with an older transaction than one before it. Reopening such a log,
    /// <c>WalIndexService.RestoreIndex</c> resumes numbering after the number on the log's last page, not after the
    /// highest one, so a transaction of the new run can take the number of a transaction already in the log. The next
    /// restart then files the old transaction's pages under the new one's confirmation, as newer than every commit in
    /// between, and those commits are lost (or the indexes point past their data pages: "get only index below highest
    /// index"). A checkpoint restarts the numbering with an empty log, so a number is never in the log twice
    /// (<c>RestartTransactionIdTests</c>). The sync makes the emptied log durable before new commits reuse its space.
    /// A checkpoint cut short by a storage fault is harmless: the log is emptied only after the data file is flushed,
    /// and its pages are whole page images, so the next start copies them again.
    /// </remarks>
    /// <param name="db">The database, opened for writing and not yet shared.</param>
    /// <returns><see langword="false"/> when a storage fault stopped it; the database is then read-only from now on.</returns>
    private bool TryCheckpointAtOpen(LiteDatabase db)
    {
        try
        {
            db.Checkpoint();
            _sync.Sync();
            return true;
        }
        catch (Exception ex) when (IsStorageFault(ex))
        {
            _readOnlyReason = ex.Message.TrimEnd('.');
            _logger.LogCritical(ex, "Copying the log a crash left into the conductor's database at {Location} failed; the conductor serves reads only and refuses writes until the disk is fixed and it is restarted.", Location);
            return false;
        }
    }

    /// <summary>Closes a database whose engine a storage fault has already failed; closing may fail as well.</summary>
    /// <param name="db">The failed database.</param>
    private void DisposeQuietly(LiteDatabase db)
    {
        try
        {
            db.Dispose();
        }
#pragma warning disable CA1031 // The engine has already failed; closing it may fail as well and must not stop what follows.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _logger.LogDebug(ex, "Closing the failed database reported an error too.");
        }
    }

    private void DisposeStreams()
    {
        lock (_streams)
        {
            foreach (Stream stream in _streams)
            {
                stream.Dispose();
            }

            _streams.Clear();
        }
    }

    /// <summary>
    /// Checkpoints if the log is large and prunes the request ledger if due. Group commit runs this on its sync thread
    /// after syncs; tests call it directly. Call outside any transaction.
    /// </summary>
    internal void Housekeeping()
    {
        // One pass at a time, so that a caller returns only once any pass that was running has finished.
        lock (_housekeepingGate)
        {
            if (IsReadOnly)
            {
                return;
            }

            CheckpointIfLogIsLarge();
            ZeroAheadOfTheLog();
            PruneLedgerIfDue();
        }
    }

    private void CheckpointIfLogIsLarge()
    {
        if (_log.LogLength < CheckpointLogBytes)
        {
            return;
        }

        _database.Checkpoint();
        SyncOrFail();

        // The checkpoint emptied the log and cut the file: a disk that could not take zeros before may now.
        _zeroAheadPaused = false;
    }

    /// <summary>
    /// Keeps zeroed, synced space after the log's end (see <see cref="PreallocatedLogStream"/>), so that the next
    /// commits' syncs overwrite blocks instead of growing the file. Runs on the sync thread, off every commit's path.
    /// </summary>
    private void ZeroAheadOfTheLog()
    {
        if (_zeroAheadPaused || !_settings.ZeroLogAhead)
        {
            return;
        }

        try
        {
            _log.ZeroAhead();
        }
        catch (IOException ex)
        {
            // Not a fault of any write: commits append to the file instead, as LiteDB would. Commits that need the
            // space fail with their own clear error if the disk is full. Tried again after the next checkpoint.
            _zeroAheadPaused = true;
            _logger.LogWarning(ex, "Could not reserve space after the log of the conductor's database at {Location} ({Message}); commits append to the log instead, which makes their syncs slower. Free disk space; this is retried after the next checkpoint.", Location, ex.Message);
        }
        catch (ObjectDisposedException)
        {
            // A storage fault reopened the database read-only meanwhile; nothing more is written.
        }
    }

    private void PruneLedgerIfDue()
    {
        TimeProvider time = _settings.Time;
        long now = time.GetTimestamp();
        if (time.GetElapsedTime(_lastPruneAt, now) < _settings.RequestLedgerPruneInterval
            || time.GetElapsedTime(_openedAt, now) < _settings.RequestLedgerRetention)
        {
            // Entries written before an outage stay for a whole retention period of uptime after the restart.
            return;
        }

        _lastPruneAt = now;
        DateTime nowUtc = time.GetUtcNow().UtcDateTime;
        int pruned;
        lock (_commitGate)
        {
            pruned = Ledger.Prune(nowUtc - _settings.RequestLedgerRetention, nowUtc);
        }

        if (pruned > 0)
        {
            _logger.LogDebug("Pruned {Count} request ledger entries older than {Retention}.", pruned, _settings.RequestLedgerRetention);
        }
    }
}
