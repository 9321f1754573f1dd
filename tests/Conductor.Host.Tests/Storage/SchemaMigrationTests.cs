using Conductor.Abstractions.Compute;
using Conductor.Host.Repositories;
using Conductor.Host.Storage;
using Conductor.Host.Storage.Schema;
using LiteDB;

namespace Conductor.Host.Tests.Storage;

[TestClass]
public sealed class SchemaMigrationTests
{
    private StoragePaths _paths = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void Initialize() => _paths = StoragePaths.For(Path.Combine(Path.GetTempPath(), "conductor-tests", Guid.NewGuid().ToString("N")));

    [TestCleanup]
    public void Cleanup()
    {
        try
        {
            Directory.Delete(_paths.DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Unique per test.
        }
    }

    [TestMethod]
    public async Task Open_SchemaOneDatabase_MigratesEveryInstanceWithDataIntact()
    {
        // Arrange
        SchemaOneDatabase.Create(_paths, instances: 1234);
        List<BsonDocument> before = SchemaOneDatabase.ReadAll(_paths, CollectionNames.Instances, out int versionBefore);

        // Act
        SchemaReport report;
        using (var database = new LiteDbConductorDatabase(_paths, settings: new StorageSettings { Schema = new SchemaPolicy { BatchSize = 100 } }))
        {
            report = database.Schema;
            Instance read = await new InstanceRepository(database, new TestCaller("compute-a"), TimeProvider.System).GetAsync(before[5]["_id"].AsGuid, TestContext.CancellationToken);
            Assert.IsNotNull(read.Metadata);
            Assert.IsEmpty(read.Metadata);
            Assert.AreEqual(before[5]["Name"].AsString, read.Name);
        }

        // Assert
        List<BsonDocument> after = SchemaOneDatabase.ReadAll(_paths, CollectionNames.Instances, out int versionAfter);
        Assert.AreEqual(0, versionBefore, "The foundation release wrote no schema version.");
        Assert.AreEqual(new SchemaReport(Found: 1, Now: 2, Rewritten: 1234, Created: false), report);
        Assert.AreEqual(DatabaseSchema.Current, versionAfter);
        AssertMigrated(before, after);
        Assert.IsEmpty(SchemaOneDatabase.ReadAll(_paths, SchemaMigrator.ProgressCollection, out _), "The progress record is gone once the migration is done.");
    }

    [TestMethod]
    public void Open_MigrationInterruptedHalfWay_ResumesWhereItStoppedAndFinishes()
    {
        // Arrange: the first run dies after its third batch (a crash between two transactions).
        SchemaOneDatabase.Create(_paths, instances: 1050);
        List<BsonDocument> before = SchemaOneDatabase.ReadAll(_paths, CollectionNames.Instances, out _);
        int batches = 0;
        var interrupted = new SchemaPolicy
        {
            BatchSize = 100,
            AfterBatch = (_, _) =>
            {
                if (++batches == 3)
                {
                    throw new IOException("Simulated crash after three batches.");
                }
            },
        };

        // Act
        Assert.ThrowsExactly<IOException>(() => new LiteDbConductorDatabase(_paths, settings: new StorageSettings { Schema = interrupted }).Dispose());
        List<BsonDocument> halfway = SchemaOneDatabase.ReadAll(_paths, CollectionNames.Instances, out int versionHalfway);
        BsonDocument progress = SchemaOneDatabase.ReadAll(_paths, SchemaMigrator.ProgressCollection, out _).Single();
        SchemaReport resumed;
        using (var database = new LiteDbConductorDatabase(_paths, settings: new StorageSettings { Schema = new SchemaPolicy { BatchSize = 100 } }))
        {
            resumed = database.Schema;
        }

        // Assert
        Assert.AreEqual(0, versionHalfway, "The header moves only when every document is migrated.");
        Assert.AreEqual(300, halfway.Count(d => d.ContainsKey("Metadata")), "Three whole batches were committed, nothing of the fourth.");
        Assert.AreEqual(halfway.Where(d => d.ContainsKey("Metadata")).Max(d => d["_id"]), progress["LastId"]);
        Assert.AreEqual(new SchemaReport(Found: 1, Now: 2, Rewritten: 750, Created: false), resumed, "The second run rewrites only what the first did not.");
        AssertMigrated(before, SchemaOneDatabase.ReadAll(_paths, CollectionNames.Instances, out int versionAfter));
        Assert.AreEqual(DatabaseSchema.Current, versionAfter);
    }

    [TestMethod]
    public void Open_AllDocumentsMigratedButHeaderNotMoved_SecondRunRewritesNothing()
    {
        // Arrange: a migration that died after its last batch but before the header was written.
        SchemaOneDatabase.Create(_paths, instances: 50);
        new LiteDbConductorDatabase(_paths).Dispose();
        List<BsonDocument> migrated = SchemaOneDatabase.ReadAll(_paths, CollectionNames.Instances, out _);
        using (var db = new LiteDatabase(new ConnectionString { Filename = _paths.DataFile, Connection = ConnectionType.Direct }))
        {
            db.UserVersion = 0;
        }

        // Act
        SchemaReport report;
        using (var database = new LiteDbConductorDatabase(_paths))
        {
            report = database.Schema;
        }

        // Assert
        Assert.AreEqual(new SchemaReport(Found: 1, Now: 2, Rewritten: 0, Created: false), report);
        CollectionAssert.AreEqual(migrated, SchemaOneDatabase.ReadAll(_paths, CollectionNames.Instances, out _));
    }

    [TestMethod]
    public void Open_NewDatabase_RecordsCurrentSchemaVersion()
    {
        using (var database = new LiteDbConductorDatabase(_paths))
        {
            Assert.AreEqual(new SchemaReport(DatabaseSchema.Current, DatabaseSchema.Current, 0, Created: true), database.Schema);
        }

        SchemaOneDatabase.ReadAll(_paths, CollectionNames.Instances, out int version);
        Assert.AreEqual(DatabaseSchema.Current, version);
    }

    [TestMethod]
    public void Open_DatabaseNewerThanThisConductor_RefusedAndLeftUntouched()
    {
        // Arrange: a database a future release wrote.
        new LiteDbConductorDatabase(_paths).Dispose();
        using (var db = new LiteDatabase(new ConnectionString { Filename = _paths.DataFile, Connection = ConnectionType.Direct }))
        {
            db.UserVersion = DatabaseSchema.Current + 1;
        }

        byte[] bytesBefore = File.ReadAllBytes(_paths.DataFile);

        // Act
        DatabaseSchemaMismatchException error = Assert.ThrowsExactly<DatabaseSchemaMismatchException>(() => new LiteDbConductorDatabase(_paths).Dispose());

        // Assert
        Assert.AreEqual(
            $"The database '{_paths.DataFile}' has schema version 3, but this conductor understands schema versions up to 2: a newer conductor release wrote it. " +
            "The file was left untouched. Run that release or a newer one, or restore the backup taken before the upgrade; a conductor never downgrades a database.",
            error.Message);
        CollectionAssert.AreEqual(bytesBefore, File.ReadAllBytes(_paths.DataFile));
        Assert.IsFalse(File.Exists(_paths.LockFile) && IsLocked(_paths.LockFile), "The data directory is released.");
    }

    [TestMethod]
    public void Open_SchemaOneWithMigrationOff_RefusedAndLeftUntouched()
    {
        SchemaOneDatabase.Create(_paths, instances: 10);
        byte[] bytesBefore = File.ReadAllBytes(_paths.DataFile);

        DatabaseSchemaMismatchException error = Assert.ThrowsExactly<DatabaseSchemaMismatchException>(
            () => new LiteDbConductorDatabase(_paths, settings: new StorageSettings { Schema = new SchemaPolicy(MigrateOnStart: false) }).Dispose());

        Assert.AreEqual(
            $"The database '{_paths.DataFile}' has schema version 1, older than the version 2 this conductor needs. " +
            "The file was left untouched. With the conductor stopped, run 'conductor db migrate --data-dir <directory>', or set Conductor:MigrateDatabaseOnStart to true.",
            error.Message);
        CollectionAssert.AreEqual(bytesBefore, File.ReadAllBytes(_paths.DataFile));
    }

    private static void AssertMigrated(List<BsonDocument> before, List<BsonDocument> after)
    {
        Assert.HasCount(before.Count, after);
        for (int i = 0; i < before.Count; i++)
        {
            BsonDocument original = before[i];
            BsonDocument migrated = after[i];
            foreach (string key in original.Keys)
            {
                Assert.AreEqual(original[key], migrated[key], $"Field {key} of instance {original["_id"]} changed.");
            }

            Assert.AreEqual(new BsonArray(), migrated["Metadata"], $"Instance {original["_id"]} has no empty metadata list.");
            Assert.HasCount(original.Keys.Count + 1, migrated.Keys);
        }
    }

    private static bool IsLocked(string lockFile)
    {
        try
        {
            using var stream = new FileStream(lockFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }
}
