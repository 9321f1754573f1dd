using Conductor.Processes;

namespace Conductor.EndToEnd.Tests;

/// <summary>
/// Runs the real conductor and compute host binaries as separate processes, as a user runs them. Every cluster a
/// test makes is killed and its directory deleted after the test, and on failure every process's output is
/// written to the test's output.
/// </summary>
public abstract class EndToEndTest
{
    /// <summary>Compute settings that keep the tests quick: builds, polls and heartbeats well under a second apart.</summary>
    internal static readonly string[] FastCompute =
    [
        "--Compute:SpawnTime", "00:00:00.200",
        "--Compute:PollInterval", "00:00:00.500",
        "--Compute:HeartbeatInterval", "00:00:01",
    ];

    private readonly List<LocalCluster> _clusters = [];
    private readonly List<IAsyncDisposable> _resources = [];

    public TestContext TestContext { get; set; } = null!;

    /// <summary>Gets every line the test's processes printed, prefixed with their names.</summary>
    internal ProcessLog Log { get; } = new(echo: null);

    internal static HostBinaries Binaries => HostBinaries.Locate();

    /// <summary>Makes a cluster (a fresh directory and port, nothing running) that is cleaned up after the test.</summary>
    /// <returns>The cluster.</returns>
    internal LocalCluster CreateCluster()
    {
        // Bounds are generous (10x what a loaded two-core machine needs) because they must never fire on a slow run.
        LocalCluster cluster = LocalCluster.Create(Binaries, Log);
        _clusters.Add(cluster);
        return cluster;
    }

    /// <summary>Registers something to dispose after the test.</summary>
    /// <typeparam name="T">Its type.</typeparam>
    /// <param name="resource">The resource.</param>
    /// <returns>The same resource.</returns>
    internal T Track<T>(T resource)
        where T : IAsyncDisposable
    {
        _resources.Add(resource);
        return resource;
    }

    [TestCleanup]
    public async Task CleanUpAsync()
    {
        foreach (IAsyncDisposable resource in _resources)
        {
            await resource.DisposeAsync();
        }

        foreach (LocalCluster cluster in _clusters)
        {
            await cluster.DisposeAsync();
            Assert.IsFalse(Directory.Exists(cluster.RootDirectory), $"The cluster's directory {cluster.RootDirectory} was not deleted.");
        }

        if (TestContext.CurrentTestOutcome != UnitTestOutcome.Passed)
        {
            TestContext.WriteLine(Log.ToString());
        }
    }
}
