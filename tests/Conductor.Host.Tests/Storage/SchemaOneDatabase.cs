using Conductor.Host.Storage;
using LiteDB;

namespace Conductor.Host.Tests.Storage;

/// <summary>
/// Writes a database in the foundation release's format (schema 1): the same LiteDB settings and the same fields as
/// the foundation's documents, no metadata on instances, no versions on services, and no schema version in the header.
/// Written as raw BSON so that it does not change when today's document classes do.
/// </summary>
internal static class SchemaOneDatabase
{
    public static readonly DateTime Epoch = new(2026, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc);

    public static void Create(StoragePaths paths, int instances, string host = "compute-a")
    {
        Directory.CreateDirectory(paths.DataDirectory);
        using var db = new LiteDatabase(
            new ConnectionString { Filename = paths.DataFile, Connection = ConnectionType.Direct, Collation = Collation.Binary },
            new BsonMapper { EnumAsInteger = true, TrimWhitespace = false, EmptyStringToNull = false });
        db.UtcDate = true;
        db.GetCollection(CollectionNames.Services).Insert(new BsonDocument
        {
            ["_id"] = host,
            ["Binary"] = "compute-host",
            ["Version"] = "1.0.0",
            ["Disabled"] = false,
            ["CreatedAtUtc"] = Epoch,
            ["LastHeartbeatAtUtc"] = Epoch,
        });
        db.GetCollection(CollectionNames.ComputeNodes).Insert(new BsonDocument
        {
            ["_id"] = host,
            ["VcpusTotal"] = 10_000,
            ["MemoryMbTotal"] = 10_000_000,
            ["DiskGbTotal"] = 100_000,
            ["VcpusUsed"] = 0,
            ["MemoryMbUsed"] = 0,
            ["DiskGbUsed"] = 0,
            ["HypervisorType"] = "simulated",
            ["UpdatedAtUtc"] = Epoch,
        });

        ILiteCollection<BsonDocument> collection = db.GetCollection(CollectionNames.Instances);
        var random = new Random(20261125);
        var batch = new List<BsonDocument>();
        for (int i = 0; i < instances; i++)
        {
            var id = NextGuid(random);
            bool deleted = i % 7 == 0;
            batch.Add(new BsonDocument
            {
                ["_id"] = id,
                ["IdKey"] = SortableKeys.Id(id),
                ["LiveIdKey"] = deleted ? BsonValue.Null : SortableKeys.Id(id),
                ["HostKey"] = SortableKeys.Host(host, id),
                ["LiveHostKey"] = deleted ? BsonValue.Null : SortableKeys.Host(host, id),
                ["Name"] = "vm-" + i,
                ["Host"] = host,
                ["Vcpus"] = 1 + (i % 4),
                ["MemoryMb"] = 512 * (1 + (i % 3)),
                ["DiskGb"] = 1 + (i % 5),
                ["VmState"] = deleted ? 4 : 1,
                ["TaskState"] = 0,
                ["PowerState"] = deleted ? 0 : 1,
                ["CreatedAtUtc"] = Epoch.AddMinutes(i),
                ["UpdatedAtUtc"] = Epoch.AddMinutes(i + 1),
                ["LaunchedAtUtc"] = Epoch.AddMinutes(i).AddSeconds(30),
                ["DeletedAtUtc"] = deleted ? Epoch.AddMinutes(i + 1) : BsonValue.Null,
                ["Revision"] = (long)(3 + (i % 5)),
                ["LastRequestId"] = NextGuid(random),
            });
        }

        collection.InsertBulk(batch);
        collection.EnsureIndex("HostKey");
        collection.EnsureIndex("LiveHostKey");
        collection.EnsureIndex("IdKey");
        collection.EnsureIndex("LiveIdKey");
    }

    private static Guid NextGuid(Random random)
    {
        byte[] bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }

    /// <summary>Reads every document of a collection raw, in identifier order.</summary>
    public static List<BsonDocument> ReadAll(StoragePaths paths, string collection, out int userVersion)
    {
        using var db = new LiteDatabase(new ConnectionString { Filename = paths.DataFile, Connection = ConnectionType.Direct });
        userVersion = db.UserVersion;
        return [.. db.GetCollection(collection).FindAll().OrderBy(d => d["_id"])];
    }
}
