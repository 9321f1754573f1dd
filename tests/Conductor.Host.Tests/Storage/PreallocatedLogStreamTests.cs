using Conductor.Host.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Conductor.Host.Tests.Storage;

/// <summary>
/// The log keeps zeroed space after its end so that commits overwrite blocks instead of growing the file; LiteDB must
/// never see that space as log, a restart must find the log's end again, and an emptied log must never come back.
/// </summary>
[TestClass]
public sealed class PreallocatedLogStreamTests
{
    private const int Page = LiteDbConductorDatabase.PageSize;

    private readonly List<string> _cleanup = [];

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void ZeroAhead_AfterPages_KeepsTheLogLengthAndGrowsTheFile()
    {
        string path = NewFile();
        using (var log = Open(path))
        {
            WritePages(log, 3, fill: 7);
            Assert.IsTrue(log.ZeroAhead(), "Zeros must be written while less than the minimum is left after the log.");

            Assert.AreEqual(3L * Page, log.Length, "LiteDB must see the log alone.");
            Assert.IsTrue(log.FileLength - log.Length >= PreallocatedLogStream.MinimumAhead, $"At least {PreallocatedLogStream.MinimumAhead} bytes must be zeroed after the log; the file is {log.FileLength} bytes.");
            Assert.IsFalse(log.ZeroAhead(), "Nothing more is needed while the zeroed space is large enough.");
        }

        Assert.IsTrue(new FileInfo(path).Length > 3L * Page, "The zeros are in the file itself.");
    }

    [TestMethod]
    public void ZeroAhead_AfterEveryCommit_ZeroesOncePerStepOfLog()
    {
        using var log = Open(NewFile());
        const int Commits = 600;
        int zeroings = 0;
        for (int i = 0; i < Commits; i++)
        {
            WritePages(log, 2, fill: 3);
            zeroings += log.ZeroAhead() ? 1 : 0;
        }

        // 600 commits of 2 pages are 9.4 MiB of log: the first zeroing, then one per step of log (each starting when
        // less than the minimum is left), so at most two more than the whole steps in the log.
        long expected = 2 + (Commits * 2L * Page / PreallocatedLogStream.Step);
        Assert.IsTrue(zeroings <= expected, $"Zeroing (and its flush) must happen once per step of log, not after every commit: {zeroings} zeroings for {Commits} commits, at most {expected} expected.");
        Assert.IsTrue(log.FileLength - log.Length >= PreallocatedLogStream.MinimumAhead, "The zeroed space never falls below the minimum after a zeroing pass.");
    }

    [TestMethod]
    public void Reopen_AfterZeroAhead_FindsTheLogsEndAndItsPages()
    {
        string path = NewFile();
        using (var log = Open(path))
        {
            WritePages(log, 2, fill: 5);
            log.ZeroAhead();
            WritePages(log, 1, fill: 9);
        }

        using var reopened = Open(path);
        Assert.AreEqual(3L * Page, reopened.Length, "The log ends after its last page that is not all zeros.");
        byte[] page = new byte[Page];
        reopened.Position = 2L * Page;
        reopened.ReadExactly(page);
        Assert.IsTrue(page.All(b => b == 9), "The page written into the zeroed space reads back.");
        Assert.AreEqual(0, reopened.Read(page, 0, Page), "Nothing is read past the log's end, though the file goes on.");
    }

    [TestMethod]
    public void Write_IntoZeroedSpace_DoesNotGrowTheFile()
    {
        using var log = Open(NewFile());
        WritePages(log, 1, fill: 1);
        log.ZeroAhead();
        long fileLength = log.FileLength;

        WritePages(log, 10, fill: 2);

        Assert.AreEqual(fileLength, log.FileLength, "Pages written into the zeroed space overwrite it.");
        Assert.AreEqual(11L * Page, log.Length);
    }

    [TestMethod]
    public void Write_PastTheZeroedSpace_AppendsAndZeroAheadStartsAfterIt()
    {
        string path = NewFile();
        using (var log = Open(path))
        {
            log.ZeroAhead();
            int pages = (int)(log.FileLength / Page) + 3;
            WritePages(log, pages, fill: 4);
            Assert.AreEqual((long)pages * Page, log.Length, "A commit larger than the zeroed space appends, as LiteDB would.");

            log.ZeroAhead();
        }

        using var reopened = Open(path);
        byte[] all = new byte[reopened.Length];
        reopened.Position = 0;
        reopened.ReadExactly(all);
        Assert.IsTrue(all.All(b => b == 4), "Zeroing ahead never overwrites a page already written.");
    }

    [TestMethod]
    public void SetLength_Zero_CutsTheFileSoTheEmptiedLogNeverComesBack()
    {
        string path = NewFile();
        using (var log = Open(path))
        {
            WritePages(log, 4, fill: 3);
            log.ZeroAhead();

            log.SetLength(0);

            Assert.AreEqual(0, log.Length);
            Assert.AreEqual(0, log.FileLength, "A checkpoint's SetLength(0) must cut the zeroed space as well.");
            Assert.AreEqual(0, new FileInfo(path).Length);

            log.ZeroAhead();
        }

        using var reopened = Open(path);
        Assert.AreEqual(0, reopened.Length, "Zeroed space alone is an empty log.");
    }

    [TestMethod]
    public void Open_TornLastPage_IsCutOffBeforeZerosFollowIt()
    {
        string path = NewFile();
        byte[] content = new byte[(2 * Page) + 100];
        Array.Fill(content, (byte)6);
        File.WriteAllBytes(path, content);

        using (var log = Open(path))
        {
            Assert.AreEqual(2L * Page, log.Length, "A torn page is not part of the log.");
            log.ZeroAhead();
        }

        using var reopened = Open(path);
        Assert.AreEqual(2L * Page, reopened.Length, "The torn page's bytes must not come back as a page once zeros follow them.");
    }

    [TestMethod]
    public void Open_ReadOnly_WritesNothing()
    {
        string path = NewFile();
        using (var log = Open(path))
        {
            WritePages(log, 1, fill: 8);
        }

        long before = new FileInfo(path).Length;
        using (var readOnly = new PreallocatedLogStream(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite), readOnly: true))
        {
            Assert.IsFalse(readOnly.ZeroAhead());
            Assert.ThrowsExactly<NotSupportedException>(() => readOnly.Write(new byte[Page], 0, Page));
            Assert.AreEqual(1L * Page, readOnly.Length);
        }

        Assert.AreEqual(before, new FileInfo(path).Length);
    }

    [TestMethod]
    public async Task Conductor_CrashWithZeroedSpaceAfterTheLog_RestartKeepsEverySyncedWrite()
    {
        StoragePaths crashed = await CrashWithZeroedSpaceAsync(before: 20, after: 1);

        using var restarted = new LiteDbConductorDatabase(crashed);
        CollectionAssert.AreEqual(Enumerable.Range(1, 21).ToArray(), ZeroedIds(restarted.Database), "Every synced insert, including the one written into the zeroed space, must survive the crash.");
    }

    [TestMethod]
    public async Task LiteDbByName_LogWithZeroedSpace_ReadsEveryCommittedWrite()
    {
        // What an older conductor (LiteDB opening its log by name) finds after this one crashed: the zeros after the
        // log are blank pages, which LiteDB 5.0.21 skips when it rebuilds its index.
        StoragePaths crashed = await CrashWithZeroedSpaceAsync(before: 5, after: 0);

        using var byName = new LiteDB.LiteDatabase(new LiteDB.ConnectionString { Filename = crashed.DataFile, Connection = LiteDB.ConnectionType.Direct });
        CollectionAssert.AreEqual(new[] { 1, 2, 3, 4, 5 }, ZeroedIds(byName), "LiteDB opening the log itself must read every committed write.");
    }

    [TestMethod]
    public async Task Conductor_DiskTooFullForZeros_WarnsOnceCommitsGoOnAndZeroingResumesAfterACheckpoint()
    {
        string root = Path.GetDirectoryName(NewFile())!;
        var paths = StoragePaths.For(Path.Combine(root, "data"));
        var streams = new NoRoomForZeros();
        using var capture = new Security.LogCapture();
        using var factory = LoggerFactory.Create(b => b.AddProvider(capture));
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        using var conductor = new LiteDbConductorDatabase(paths, logger: factory.CreateLogger<LiteDbConductorDatabase>(), settings: new StorageSettings { Streams = streams });
        var collection = conductor.Database.GetCollection("zeroed");

        for (int id = 1; id <= 5; id++)
        {
            collection.Insert(new LiteDB.BsonDocument { ["_id"] = id });
            await conductor.WaitForDurableAsync(cts.Token);
            conductor.Housekeeping();
        }

        Assert.AreEqual(1, capture.Entries.Count(e => e.Message.Contains("Could not reserve space after the log", StringComparison.Ordinal)), "A disk too full for the zeros is reported once, not after every sync.");
        Assert.IsTrue(streams.RefusedZeros > 0, "Precondition: zeroing was tried and refused.");
        Assert.IsTrue(new FileInfo(paths.LogFile).Length - LogLength(paths.LogFile) < PreallocatedLogStream.MinimumAhead, "No zeros could be written.");
        CollectionAssert.AreEqual(new[] { 1, 2, 3, 4, 5 }, ZeroedIds(conductor.Database), "Commits go on: they append to the log as LiteDB would.");

        // Space is freed; the next checkpoint (once the log reaches its size) lets zeroing try again.
        streams.RefuseZeros = false;
        for (int id = 6; LogLength(paths.LogFile) < LiteDbConductorDatabase.CheckpointLogBytes; id++)
        {
            collection.Insert(new LiteDB.BsonDocument { ["_id"] = id, ["pad"] = new string('x', 4000) });
        }

        await conductor.WaitForDurableAsync(cts.Token);
        conductor.Housekeeping();
        Assert.IsTrue(new FileInfo(paths.LogFile).Length - LogLength(paths.LogFile) >= PreallocatedLogStream.MinimumAhead, "After the checkpoint the log has zeroed space again.");
    }

    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public async Task ZeroLogAheadOption_FromConfiguration_DecidesWhetherZerosFollowTheLog(bool zeroLogAhead)
    {
        string directory = Path.GetDirectoryName(NewFile())!;
        var services = new ServiceCollection();
        services.Configure<ConductorOptions>(o =>
        {
            o.DataDirectory = directory;
            o.ZeroLogAhead = zeroLogAhead;
        });
        services.AddConductorStorage();
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        await using ServiceProvider provider = services.BuildServiceProvider();
        LiteDbConductorDatabase conductor = provider.GetRequiredService<LiteDbConductorDatabase>();

        conductor.Database.GetCollection("zeroed").Insert(new LiteDB.BsonDocument { ["_id"] = 1 });
        await conductor.WaitForDurableAsync(cts.Token);
        conductor.Housekeeping();

        long zeroed = new FileInfo(conductor.Paths.LogFile).Length - LogLength(conductor.Paths.LogFile);
        Assert.AreEqual(zeroLogAhead, zeroed >= PreallocatedLogStream.MinimumAhead, $"Conductor:ZeroLogAhead={zeroLogAhead}, yet {zeroed} bytes of zeros follow the log.");
    }

    private static int[] ZeroedIds(LiteDB.LiteDatabase db) => [.. db.GetCollection("zeroed").FindAll().Select(d => d["_id"].AsInt32).Order()];

    /// <summary>
    /// Runs a conductor that inserts <paramref name="before"/> documents (each synced), lets its housekeeping zero
    /// space after the log, inserts <paramref name="after"/> more, and copies its files as a SIGKILL would leave them
    /// (the page cache survives a killed process); then closes it cleanly.
    /// </summary>
    /// <returns>The copied data directory.</returns>
    private async Task<StoragePaths> CrashWithZeroedSpaceAsync(int before, int after)
    {
        string root = Path.GetDirectoryName(NewFile())!;
        var paths = StoragePaths.For(Path.Combine(root, "live"));
        var crashed = StoragePaths.For(Path.Combine(root, "crashed"));
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        using (var conductor = new LiteDbConductorDatabase(paths))
        {
            var collection = conductor.Database.GetCollection("zeroed");
            for (int id = 1; id <= before + after; id++)
            {
                if (id == before + 1)
                {
                    conductor.Housekeeping();
                }

                collection.Insert(new LiteDB.BsonDocument { ["_id"] = id });
                await conductor.WaitForDurableAsync(cts.Token);
            }

            conductor.Housekeeping();
            Directory.CreateDirectory(crashed.DataDirectory);
            File.Copy(paths.DataFile, crashed.DataFile);
            File.Copy(paths.LogFile, crashed.LogFile);
        }

        Assert.IsFalse(File.Exists(paths.LogFile), "A clean close leaves no log (only zeroed space was left after its checkpoint).");
        Assert.IsTrue(new FileInfo(crashed.LogFile).Length - LogLength(crashed.LogFile) >= PreallocatedLogStream.MinimumAhead, "Precondition: the copied log must end with zeroed space.");
        return crashed;
    }

    private static long LogLength(string path)
    {
        using var log = new PreallocatedLogStream(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite), readOnly: true);
        return log.Length;
    }

    private static PreallocatedLogStream Open(string path) =>
        new(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0), readOnly: false);

    private static void WritePages(PreallocatedLogStream log, int count, byte fill)
    {
        byte[] page = new byte[Page];
        Array.Fill(page, fill);
        for (int i = 0; i < count; i++)
        {
            log.Position = log.Length;
            log.Write(page, 0, Page);
        }
    }

    private string NewFile()
    {
        string directory = Path.Combine(Path.GetTempPath(), "conductor-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        TestContext.WriteLine(directory);
        string path = Path.Combine(directory, "conductor-log.db");
        _cleanup.Add(directory);
        return path;
    }

    [TestCleanup]
    public void Cleanup()
    {
        foreach (string directory in _cleanup)
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Log files on a disk with room for pages but not for 64 KiB of zeros.</summary>
    private sealed class NoRoomForZeros : IDatabaseStreams
    {
        private int _refusedZeros;

        public volatile bool RefuseZeros = true;

        public int RefusedZeros => Volatile.Read(ref _refusedZeros);

        public Stream Open(string path, bool readOnly)
        {
            var file = new FileStream(path, readOnly ? FileMode.Open : FileMode.OpenOrCreate, readOnly ? FileAccess.Read : FileAccess.ReadWrite, FileShare.ReadWrite, 1, FileOptions.RandomAccess);
            return path.EndsWith("-log.db", StringComparison.Ordinal) ? new Refusing(file, this) : file;
        }

        private sealed class Refusing(FileStream inner, NoRoomForZeros owner) : Stream
        {
            public override bool CanRead => true;

            public override bool CanSeek => true;

            public override bool CanWrite => inner.CanWrite;

            public override long Length => inner.Length;

            public override long Position { get => inner.Position; set => inner.Position = value; }

            public override void Flush() => inner.Flush();

            public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

            public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

            public override void SetLength(long value) => inner.SetLength(value);

            public override void Write(byte[] buffer, int offset, int count)
            {
                if (owner.RefuseZeros && count > Page)
                {
                    Interlocked.Increment(ref owner._refusedZeros);
                    throw new IOException("No space left on device");
                }

                inner.Write(buffer, offset, count);
            }

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    inner.Dispose();
                }

                base.Dispose(disposing);
            }
        }
    }
}
