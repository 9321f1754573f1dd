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
/// Durability. LiteDB 5.0.21 writes each commit to <c>conductor-log.db</c> without an <c>fsync</c>.
/// <see cref="WaitForDurableAsync"/> completes only after an <see cref="IStorageSync.Sync"/> that began after the
/// call, which covers every commit made before it.
/// </para>
/// <para>
/// Checkpoints. A checkpoint copies confirmed log pages into the data file and then truncates the log, so a commit
/// acknowledged from the log must be on disk in the data file before the log shrinks. The 5.0.21 source
/// (<c>WalIndexService.CheckpointInternal</c> -> <c>DiskService.WriteDataDisk</c>, which ends with
/// <c>FlushToDisk</c>, then <c>Clear</c> -> <c>SetLength(0, Log)</c>) does sync the data file before truncating,
/// checked against the shipped assembly's IL. Even so, the automatic checkpoint is turned off
/// (<c>CheckpointSize = 0</c>) and the checkpoint is run from the sync thread instead, followed by another sync of
/// both files: all fsyncs then happen in one place this code controls, writers never pay for a checkpoint inside
/// their commit, and the order does not depend on an internal detail of LiteDB surviving an upgrade. Because
/// LiteDB's own close only checkpoints when the pragma is positive, <see cref="Dispose"/> checkpoints explicitly.
/// </para>
/// </remarks>
internal sealed class LiteDbConductorDatabase : IConductorDatabase, IDisposable
{
    /// <summary>The LiteDB page size: a data file shorter than this is not a database.</summary>
    internal const int PageSize = 8192;

    /// <summary>The log size (in bytes) above which the sync thread checkpoints: LiteDB's own default of 1000 pages.</summary>
    internal const long CheckpointLogBytes = 1000L * PageSize;

    private readonly OwnerLock _ownerLock;
    private readonly IStorageSync _sync;
    private readonly GroupCommit _groupCommit;
    private readonly ILogger _logger;
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="LiteDbConductorDatabase"/> class from the conductor's options.</summary>
    /// <param name="options">The options; <see cref="ConductorOptions.DataDirectory"/> is used.</param>
    /// <param name="sync">The sync seam.</param>
    /// <param name="logger">The logger.</param>
    public LiteDbConductorDatabase(IOptions<ConductorOptions> options, IStorageSync sync, ILogger<LiteDbConductorDatabase> logger)
        : this(StoragePaths.For(options?.Value.DataDirectory ?? throw new ArgumentNullException(nameof(options))), sync, logger, new SchemaPolicy(options.Value.MigrateDatabaseOnStart))
    {
    }

    /// <summary>Initializes a new instance of the <see cref="LiteDbConductorDatabase"/> class.</summary>
    /// <param name="paths">The data directory's files.</param>
    /// <param name="sync">The sync seam, or <see langword="null"/> for <see cref="FileStorageSync"/>.</param>
    /// <param name="logger">The logger, or <see langword="null"/> for none.</param>
    /// <exception cref="DataDirectoryInUseException">Another conductor owns the directory.</exception>
    /// <param name="schema">What to do with an older schema; <see langword="null"/> migrates it (<see cref="SchemaPolicy.Default"/>).</param>
    /// <exception cref="DatabaseFileDamagedException">The database file is too short to be a database.</exception>
    /// <exception cref="DatabaseSchemaMismatchException">The schema is newer than this conductor, or older and not to be migrated.</exception>
    public LiteDbConductorDatabase(StoragePaths paths, IStorageSync? sync = null, ILogger? logger = null, SchemaPolicy? schema = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        Paths = paths;
        _sync = sync ?? new FileStorageSync(paths);
        _logger = logger ?? NullLogger.Instance;

        Directory.CreateDirectory(paths.DataDirectory);
        _ownerLock = OwnerLock.Acquire(paths);
        try
        {
            RefuseShortFile(paths.DataFile);
            schema ??= SchemaPolicy.Default;
            Database = Open(paths.DataFile, schema);
            Schema = SchemaMigrator.Prepare(Database, paths.DataFile, schema, _sync.Sync, _logger);
            _groupCommit = new GroupCommit(_sync.Sync, CheckpointIfLogIsLarge, Location, _logger);
        }
        catch
        {
            Database?.Dispose();
            _ownerLock.Dispose();
            throw;
        }

        _logger.LogInformation("Opened the conductor's database at {Location}.", Location);
    }

    /// <summary>Gets the data directory's files.</summary>
    internal StoragePaths Paths { get; }

    /// <summary>Gets what opening found and did to the schema.</summary>
    internal SchemaReport Schema { get; }

    /// <summary>Gets the open database, for the direct repositories. Never hold its transactions across an await.</summary>
    internal LiteDatabase Database { get; }

    /// <summary>Gets the lock for read-check-write sequences on instances and for scheduling (LiteDB reads do not block writers).</summary>
    internal Lock InstanceLock { get; } = new();

    /// <summary>Gets the lock for read-check-write sequences on instance actions.</summary>
    internal Lock ActionLock { get; } = new();

    /// <summary>Gets the lock for read-modify-write sequences on service and compute node records.</summary>
    internal Lock ServiceLock { get; } = new();

    /// <summary>Gets the number of syncs run so far (for tests and diagnostics).</summary>
    internal long SyncCount => _groupCommit.SyncCount;

    /// <summary>Gets the number of durability waits that joined a batch so far (for tests and diagnostics).</summary>
    internal long DurableWaitCount => _groupCommit.WaitCount;

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
    public Task WaitForDurableAsync(CancellationToken cancellationToken) => _groupCommit.WaitAsync(cancellationToken);

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
            Database.Checkpoint();
            _sync.Sync();
            Database.Dispose();

            // Closing may rewrite the header page; make that durable too.
            _sync.Sync();
        }
#pragma warning disable CA1031 // Disposal must release the lock whatever happened; the failure is logged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _logger.LogError(ex, "Closing the conductor's database at {Location} failed; the next start will recover from the log.", Location);
        }
        finally
        {
            _ownerLock.Dispose();
        }
    }

    private static void RefuseShortFile(string dataFile)
    {
        var file = new FileInfo(dataFile);
        if (file.Exists && file.Length < PageSize)
        {
            // LiteDB would treat a short file as a new database and overwrite it.
            throw new DatabaseFileDamagedException(
                $"The database file '{dataFile}' is {file.Length} bytes long, shorter than one LiteDB page ({PageSize} bytes), so it is damaged or not a conductor database. "
                + "The conductor left it untouched: restore it from a backup, or move it away to start with an empty database.");
        }
    }

    private static LiteDatabase Open(string dataFile, SchemaPolicy schema)
    {
        var connection = new ConnectionString
        {
            Filename = dataFile,
            Connection = ConnectionType.Direct,

            // Ordinal comparison, so that keyset keys sort by their characters (only applies to a new file).
            Collation = Collation.Binary,
        };
        var mapper = new BsonMapper
        {
            EnumAsInteger = true,
            TrimWhitespace = false,
            EmptyStringToNull = false,
        };
        var db = new LiteDatabase(connection, mapper);
        try
        {
            // Before anything is written, so that a refused file is left exactly as it was.
            SchemaMigrator.Refuse(db, dataFile, schema);
            db.UtcDate = true;
            db.CheckpointSize = 0;
            EnsureIndexes(db);
            return db;
        }
        catch
        {
            db.Dispose();
            throw;
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

        // Services and compute nodes are keyed by host (_id), which LiteDB always indexes.
    }

    private void CheckpointIfLogIsLarge()
    {
        var log = new FileInfo(Paths.LogFile);
        if (!log.Exists || log.Length < CheckpointLogBytes)
        {
            return;
        }

        Database.Checkpoint();
        _sync.Sync();
    }
}
