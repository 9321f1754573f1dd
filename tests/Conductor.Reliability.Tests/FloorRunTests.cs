using Conductor.LoadGenerator;

namespace Conductor.Reliability.Tests;

/// <summary>The load generator's floor: the same fleet against a bare StreamJsonRpc server process, measured.</summary>
[TestClass]
public sealed class FloorRunTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task RunAsync_SmallFleet_AnswersEveryHostsCallsAndMeasuresTheServersCpu()
    {
        LoadOptions options = SmallFleet(hosts: 3, instancesPerHost: 2);

        FloorResult result = await FloorRun.RunAsync(options, durable: false, TestContext.CancellationToken);

        // Three hosts making three calls every 50 ms for a second: about 180 calls; a loaded machine skips timer ticks,
        // never the calls of a tick, so a tenth of that is a safe lower bound that still proves the calls were answered.
        Assert.IsGreaterThanOrEqualTo(18, result.Calls, $"Only {result.Calls} calls were answered in {result.Elapsed}.");
        Assert.AreEqual(0, result.Errors);
        Assert.IsGreaterThan(0, result.Cpu, "The floor server's CPU time must have been read from its process.");
        Assert.IsGreaterThan(TimeSpan.Zero, result.Elapsed, "The measured window's length, which the CPU share is divided by.");
        Assert.AreEqual(0, result.Syncs, "The floor that answers from memory never syncs.");
    }

    [TestMethod]
    public async Task RunAsync_Durable_SyncsOncePerUpdateAnsweredAndCleansUp()
    {
        LoadOptions options = SmallFleet(hosts: 2, instancesPerHost: 1);
        string[] before = FloorDirectories();

        FloorResult result = await FloorRun.RunAsync(options, durable: true, TestContext.CancellationToken);

        Assert.AreEqual(0, result.Errors);
        Assert.IsGreaterThanOrEqualTo(8, result.Calls, $"Only {result.Calls} calls were answered in {result.Elapsed}.");

        // Each host makes a heartbeat and then an update per tick, so at most one heartbeat per host in the measured
        // window lacks its update: at least (calls - hosts) / 2 of the calls were updates, and each was answered only
        // after its own fsync. The server counts its syncs over its whole life, so it reports at least those.
        long updates = (result.Calls - options.Hosts) / 2;
        Assert.IsGreaterThanOrEqualTo(updates, result.Syncs, $"{result.Syncs} fsyncs for {result.Calls} calls, at least {updates} of them updates.");
        CollectionAssert.AreEquivalent(before, FloorDirectories(), "The durable floor's directory must be deleted after the run.");
    }

    /// <summary>A fleet that calls every 50 ms and is measured for a second.</summary>
    private static LoadOptions SmallFleet(int hosts, int instancesPerHost) => new(
        Hosts: hosts,
        InstancesPerHost: instancesPerHost,
        Interval: TimeSpan.FromMilliseconds(50),
        Duration: TimeSpan.FromSeconds(1),
        Settle: TimeSpan.Zero,
        Endpoint: null,
        ConductorProcessId: null,
        AdminCredentialsFile: null,
        Output: null,
        WithFloor: true);

    private static string[] FloorDirectories()
    {
        string root = Path.Combine(Path.GetTempPath(), "conductor-load");
        return Directory.Exists(root) ? Directory.GetDirectories(root, "floor-*") : [];
    }
}
