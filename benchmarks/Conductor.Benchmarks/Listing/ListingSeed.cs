using Conductor.Abstractions.Compute;
using Conductor.Host.Storage;
using Conductor.Host.Storage.Documents;

namespace Conductor.Benchmarks.Listing;

/// <summary>
/// Writes instances straight into a new data directory's database before the conductor starts: creating 100,000
/// through the admin API would take hours (each create is a durable write, and the scheduler sums the flavors of the
/// host's live instances on every create), and the listing, not the creating, is what is measured.
/// </summary>
internal static class ListingSeed
{
    /// <summary>The host the seeded instances are placed on.</summary>
    public const string HostName = "list-compute-1";

    /// <summary>Creates the database in <paramref name="dataDirectory"/> and inserts <paramref name="count"/> live instances.</summary>
    /// <param name="dataDirectory">The data directory (new).</param>
    /// <param name="count">How many instances.</param>
    public static void Seed(string dataDirectory, int count)
    {
        using var db = new LiteDbConductorDatabase(StoragePaths.For(dataDirectory));
        DateTime now = DateTime.UtcNow;
        // Lazily made, so that the seeding holds one batch at a time too.
        int inserted = db.Instances.InsertBulk(Documents(count, now), batchSize: 5000);
        if (inserted != count)
        {
            throw new InvalidOperationException($"Seeded {inserted} instances instead of {count}.");
        }

        db.Database.Checkpoint();
    }

    private static IEnumerable<InstanceDocument> Documents(int count, DateTime now)
    {
        for (int i = 0; i < count; i++)
        {
            var doc = new InstanceDocument
            {
                Id = Guid.NewGuid(),
                Name = $"list-vm-{i:D6}",
                Host = HostName,
                Vcpus = 1,
                MemoryMb = 512,
                DiskGb = 1,
                VmState = VmState.Active,
                TaskState = TaskState.None,
                PowerState = PowerState.Running,
                CreatedAtUtc = now,
                UpdatedAtUtc = now,
                LaunchedAtUtc = now,
                Revision = 2,
                Metadata = [new MetadataEntry { Key = "team", Value = "benchmarks" }],
            };
            doc.UpdateKeys();
            yield return doc;
        }
    }
}
