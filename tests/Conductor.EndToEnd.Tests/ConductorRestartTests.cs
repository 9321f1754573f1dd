using Conductor.Abstractions.Compute;
using Conductor.Processes;

namespace Conductor.EndToEnd.Tests;

[TestClass]
public sealed class ConductorRestartTests : EndToEndTest
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);

    [TestMethod]
    public async Task Conductor_StoppedAndRestartedOnSameDataAndPort_ComputeHostRecoversWithoutRestart()
    {
        // Arrange: a conductor and one compute host that has built an instance.
        LocalCluster cluster = CreateCluster();
        ChildProcess firstConductor = await cluster.StartConductorAsync();
        // A short call deadline, so that calls made during the outage fail (and are logged) soon after it starts.
        ChildProcess compute = await cluster.StartComputeAsync("compute-1", [.. FastCompute, "--Conductor:CallTimeout", "00:00:03"]);
        await cluster.WaitForServicesUpAsync(["compute-1"]);
        List<Instance> before = await cluster.CreateInstancesAsync("before", 1);
        await cluster.WaitForInstancesActiveAsync([before[0].Id]);

        // Act 1: the conductor goes away.
        int mark = compute.LineCount;
        await cluster.StopAsync(firstConductor);

        // The compute host keeps running and says the conductor is gone, naming it.
        string outage = await compute.WaitForLineAsync("Lost the connection to the conductor", mark, s_wait);
        StringAssert.Contains(outage, cluster.Endpoint);
        await compute.WaitForLineAsync("Heartbeat missed", mark, s_wait);
        Assert.IsFalse(compute.HasExited, "The compute host must outlive the conductor.");

        // Act 2: the conductor comes back on the same data directory and port.
        mark = compute.LineCount;
        ChildProcess secondConductor = await cluster.StartConductorAsync();
        DateTime restartedAt = TruncateToMilliseconds(DateTime.UtcNow);

        // Assert: the same compute process reconnects by itself, heartbeats again and builds a new instance.
        Assert.AreNotEqual(firstConductor.Id, secondConductor.Id);
        await compute.WaitForLineAsync("Connected to the conductor", mark, s_wait);
        await Poll.UntilAsync(
            "a heartbeat from compute-1 stamped by the restarted conductor",
            s_wait,
            TimeSpan.FromMilliseconds(250),
            () => cluster.ListServicesAsync(),
            services => services.Any(s => s.Service.Host == "compute-1" && s.Service.LastHeartbeatAtUtc >= restartedAt),
            services => string.Join(", ", services.Select(s => $"{s.Service.Host} last heartbeat {s.Service.LastHeartbeatAtUtc:O}")));

        List<Instance> after = await cluster.CreateInstancesAsync("after", 1);
        List<Instance> instances = await cluster.WaitForInstancesActiveAsync([after[0].Id]);
        Assert.AreEqual("compute-1", after[0].Host);
        Assert.IsTrue(instances.Any(i => i.Id == before[0].Id && i.VmState == VmState.Active), "The instance built before the restart is still active.");
        Assert.HasCount(1, cluster.ComputeHosts);
        Assert.IsFalse(compute.HasExited, "The compute host was never restarted.");

        await cluster.StopAllAsync();
    }

    private static DateTime TruncateToMilliseconds(DateTime time) => new(time.Ticks - (time.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
}
