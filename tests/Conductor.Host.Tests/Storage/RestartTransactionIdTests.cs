using Conductor.Host.Storage;
using LiteDB;

namespace Conductor.Host.Tests.Storage;

/// <summary>
/// Two crashes in a row must not lose a write. LiteDB 5.0.21 numbers transactions when they begin and appends their
/// pages when they commit, so a log can end with a transaction older than one before it; after a restart it resumes
/// numbering after the log's last page (<c>WalIndexService.RestoreIndex</c>), not after its highest number, so a
/// new transaction can take the number of one already in the log. At the next start the replay files the old
/// transaction's pages under the new one's confirmation, newer than every commit between them: those commits vanish
/// (or the indexes point at blocks their data pages no longer have: "get only index below highest index"). The
/// conductor checkpoints when it opens, which empties the log and restarts the numbering behind it.
/// </summary>
[TestClass]
public sealed class RestartTransactionIdTests
{
    private const string Older = "probe_older";
    private const string Newer = "probe_newer";

    /// <summary>Reads taken between the two transactions of the first session: each takes a transaction number.</summary>
    private const int ReadsBetween = 200;

    [TestMethod]
    public async Task Restart_LogEndsWithAnOlderTransaction_NextSessionsWritesSurviveTheNextCrash()
    {
        string root = Path.Combine(Path.GetTempPath(), "conductor-tests", Guid.NewGuid().ToString("N"));
        var paths = StoragePaths.For(Path.Combine(root, "live"));
        var crashed = StoragePaths.For(Path.Combine(root, "crashed"));
        try
        {
            new LiteDbConductorDatabase(paths).Dispose();
            LeaveLogEndingWithOlderTransaction(paths);
            (uint last, uint highest) = LogTransactionIds(paths.LogFile);
            Assert.IsTrue(last < highest, $"Precondition: the crashed session's log must end with an older transaction (last {last}, highest {highest}); if LiteDB no longer does this, revisit the checkpoint at open.");

            using var cts = new CancellationTokenSource(StorageFixture.Timeout);
            using (var conductor = new LiteDbConductorDatabase(paths))
            {
                ILiteCollection<BsonDocument> newer = conductor.Database.GetCollection(Newer);
                ILiteCollection<BsonDocument> older = conductor.Database.GetCollection(Older);
                for (int id = 2; id <= 4; id++)
                {
                    newer.Insert(new BsonDocument { ["_id"] = id });
                }

                // Enough single transactions to pass the number the newer transaction of the crashed session had.
                for (int id = 2; id <= ReadsBetween + 50; id++)
                {
                    older.Insert(new BsonDocument { ["_id"] = id });
                }

                await conductor.WaitForDurableAsync(cts.Token);

                // A SIGKILL now leaves exactly what is in the files (the page cache survives a killed process).
                Directory.CreateDirectory(crashed.DataDirectory);
                File.Copy(paths.DataFile, crashed.DataFile);
                if (File.Exists(paths.LogFile))
                {
                    File.Copy(paths.LogFile, crashed.LogFile);
                }
            }

            using var restarted = new LiteDbConductorDatabase(crashed);
            int[] newerIds = [.. restarted.Database.GetCollection(Newer).FindAll().Select(d => d["_id"].AsInt32).Order()];
            CollectionAssert.AreEqual(new[] { 0, 1, 2, 3, 4 }, newerIds, "Every committed and synced insert must survive the second crash.");
            Assert.AreEqual(ReadsBetween + 51, restarted.Database.GetCollection(Older).Count());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// A session that ends as a crash would leave it (LiteDB does not checkpoint on close with the checkpoint pragma
    /// at 0): a transaction begins, others take numbers and a newer one commits, then the first commits last.
    /// </summary>
    private static void LeaveLogEndingWithOlderTransaction(StoragePaths paths)
    {
        using var db = new LiteDatabase(new ConnectionString { Filename = paths.DataFile, Connection = ConnectionType.Direct });
        db.CheckpointSize = 0;
        ILiteCollection<BsonDocument> older = db.GetCollection(Older);
        ILiteCollection<BsonDocument> newer = db.GetCollection(Newer);
        older.Insert(new BsonDocument { ["_id"] = 0 });
        newer.Insert(new BsonDocument { ["_id"] = 0 });

        using var begun = new ManualResetEventSlim();
        using var commit = new ManualResetEventSlim();
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                db.BeginTrans();
                older.Insert(new BsonDocument { ["_id"] = 1 });
                begun.Set();
                commit.Wait();
                db.Commit();
            }
#pragma warning disable CA1031 // Reported on the test thread below.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failure = ex;
                begun.Set();
            }
        });
        thread.Start();
        Assert.IsTrue(begun.Wait(StorageFixture.Timeout), "The older transaction did not begin.");
        for (int i = 0; i < ReadsBetween; i++)
        {
            _ = newer.FindById(0);
        }

        newer.Insert(new BsonDocument { ["_id"] = 1 });
        commit.Set();
        Assert.IsTrue(thread.Join(StorageFixture.Timeout), "The older transaction did not commit.");
        Assert.IsNull(failure, $"The older transaction failed: {failure}");
    }

    /// <summary>Reads the transaction number of every page in a LiteDB 5 log file (offset 14 of each 8 KB page).</summary>
    private static (uint Last, uint Highest) LogTransactionIds(string logFile)
    {
        byte[] log = File.ReadAllBytes(logFile);
        Assert.IsTrue(log.Length >= LiteDbConductorDatabase.PageSize, "Precondition: the crashed session must leave a log.");
        uint last = 0;
        uint highest = 0;
        for (int offset = 0; offset + LiteDbConductorDatabase.PageSize <= log.Length; offset += LiteDbConductorDatabase.PageSize)
        {
            if (!log.AsSpan(offset, LiteDbConductorDatabase.PageSize).ContainsAnyExcept((byte)0))
            {
                // Zeroed space the conductor keeps after the log (PreallocatedLogStream); LiteDB skips blank pages too.
                continue;
            }

            last = BitConverter.ToUInt32(log, offset + 14);
            highest = Math.Max(highest, last);
        }

        return (last, highest);
    }
}
