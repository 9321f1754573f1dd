using Conductor.Abstractions.Compute;
using Conductor.Host.Repositories;
using Conductor.Host.Storage;

namespace Conductor.Host.Tests.Storage;

/// <summary>
/// The sync every durable write waits for flushes LiteDB's log, and the data file only when LiteDB may have written
/// it (opening, checkpointing, closing): a data file left unflushed after a checkpoint would lose acknowledged writes
/// once the log is emptied, and flushing it on every write costs a second disk-cache flush per batch.
/// </summary>
[TestClass]
public sealed class FileStorageSyncTests
{
    [TestMethod]
    public async Task Sync_FirstThenCommitsOnly_FlushesDataFileOnlyOnFirst()
    {
        using var scope = new SyncedDatabase();

        await scope.WriteAsync("host-a");
        long afterFirst = scope.Sync.DataFileFlushes;
        await scope.WriteAsync("host-b");
        await scope.WriteAsync("host-c");

        Assert.AreEqual(1, afterFirst, "The first sync must flush the data file LiteDB wrote when it created the database.");
        Assert.AreEqual(afterFirst, scope.Sync.DataFileFlushes, "A commit only appends to the log; its sync must not flush the data file again.");
    }

    [TestMethod]
    public async Task Sync_AfterCheckpoint_FlushesDataFile()
    {
        using var scope = new SyncedDatabase();
        await scope.WriteAsync("host-a");
        long before = scope.Sync.DataFileFlushes;

        scope.Database.Database.Checkpoint();
        scope.Sync.Sync();

        Assert.AreEqual(before + 1, scope.Sync.DataFileFlushes, "A checkpoint writes the data file and empties the log, so the next sync must flush the data file.");
        await scope.WriteAsync("host-b");
        Assert.AreEqual(before + 1, scope.Sync.DataFileFlushes, "After that, commits again only need the log flushed.");
    }

    [TestMethod]
    public async Task Sync_AfterCheckpoint_WritesSurviveReopen()
    {
        string directory = Path.Combine(Path.GetTempPath(), "conductor-tests", Guid.NewGuid().ToString("N"));
        try
        {
            using (var scope = new SyncedDatabase(directory))
            {
                await scope.WriteAsync("host-a");
                scope.Database.Database.Checkpoint();
                scope.Sync.Sync();
                await scope.WriteAsync("host-b");
            }

            using var reopened = new SyncedDatabase(directory);
            Assert.IsNotNull(reopened.Database.Services.FindById("host-a"), "A write checkpointed into the data file is kept.");
            Assert.IsNotNull(reopened.Database.Services.FindById("host-b"), "A write made after the checkpoint is kept.");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>A database in a temporary directory synced by a real <see cref="FileStorageSync"/>.</summary>
    private sealed class SyncedDatabase : IDisposable
    {
        private readonly string _directory;
        private readonly bool _ownsDirectory;

        public SyncedDatabase(string? directory = null)
        {
            _ownsDirectory = directory is null;
            _directory = directory ?? Path.Combine(Path.GetTempPath(), "conductor-tests", Guid.NewGuid().ToString("N"));
            StoragePaths paths = StoragePaths.For(_directory);
            Sync = new FileStorageSync(paths);
            Database = new LiteDbConductorDatabase(paths, Sync);
        }

        public FileStorageSync Sync { get; }

        public LiteDbConductorDatabase Database { get; }

        public async Task WriteAsync(string host)
        {
            using var cts = new CancellationTokenSource(StorageFixture.Timeout);
            var services = new ServiceRepository(Database, new TestCaller(host), TimeProvider.System);
            await services.RegisterAsync(new ServiceRegistration { Binary = "compute-host", Version = "1.0" }, cts.Token);
        }

        public void Dispose()
        {
            Database.Dispose();
            if (_ownsDirectory)
            {
                Directory.Delete(_directory, recursive: true);
            }
        }
    }
}
