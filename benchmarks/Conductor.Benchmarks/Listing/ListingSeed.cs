using System.Diagnostics;
using System.Globalization;
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
    /// <summary>The first argument that makes the benchmark program seed a data directory (in a process of its own, so that the listing client's memory does not carry the seeding's).</summary>
    public const string Verb = "listing-seed";

    /// <summary>The host the seeded instances are placed on.</summary>
    public const string HostName = "list-compute-1";

    /// <summary>Seeds a data directory in a child process (this program with <see cref="Verb"/>) and waits for it.</summary>
    /// <param name="dataDirectory">The data directory (new).</param>
    /// <param name="count">How many instances.</param>
    /// <returns>A task that completes when the child has seeded the directory.</returns>
    public static async Task SeedInChildAsync(string dataDirectory, int count)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "Conductor.Benchmarks.exe" : "Conductor.Benchmarks"))
        {
            ArgumentList = { Verb, dataDirectory, count.ToString(CultureInfo.InvariantCulture) },
            UseShellExecute = false,
        };
        using Process child = Process.Start(start) ?? throw new InvalidOperationException("Could not start the seeding process.");
        await child.WaitForExitAsync().ConfigureAwait(false);
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"Seeding {count} instances failed with exit code {child.ExitCode}; its error output is above.");
        }
    }

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
