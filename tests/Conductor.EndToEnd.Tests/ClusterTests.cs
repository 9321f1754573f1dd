using Conductor.Abstractions.Compute;
using Conductor.Processes;

namespace Conductor.EndToEnd.Tests;

[TestClass]
public sealed class ClusterTests : EndToEndTest
{
    [TestMethod]
    public async Task ConductorAndTwoComputeProcesses_InstancesCreatedThroughCli_AllBecomeActiveOnBothHosts()
    {
        // Arrange: a conductor and two compute hosts, each its own process.
        LocalCluster cluster = CreateCluster();
        await cluster.StartConductorAsync();
        ChildProcess compute1 = await cluster.StartComputeAsync("compute-1", FastCompute);
        ChildProcess compute2 = await cluster.StartComputeAsync("compute-2", FastCompute);
        List<ServiceStatus> services = await cluster.WaitForServicesUpAsync(["compute-1", "compute-2"]);
        Assert.HasCount(2, services);

        // Act
        List<Instance> created = await cluster.CreateInstancesAsync("e2e", 4);
        List<Instance> listed = await cluster.WaitForInstancesActiveAsync([.. created.Select(i => i.Id)]);

        // Assert: every instance is active on one of the hosts, and both hosts took their share (the scheduler
        // places each instance on the host with the most free memory, so two equal hosts get two each).
        Assert.HasCount(4, listed);
        Assert.IsTrue(listed.All(i => i.VmState == VmState.Active && i.PowerState == PowerState.Running), string.Join(", ", listed.Select(i => $"{i.Name}: {i.VmState}/{i.PowerState}")));
        CollectionAssert.AreEquivalent(new[] { "compute-1", "compute-1", "compute-2", "compute-2" }, listed.Select(i => i.Host).ToArray());

        // Each host process itself says it built its instances.
        foreach (Instance instance in listed)
        {
            ChildProcess host = instance.Host == "compute-1" ? compute1 : compute2;
            await host.WaitForLineAsync($"Instance {instance.Id} ({instance.Name}) is active.", startAt: 0, TimeSpan.FromSeconds(60));
        }

        services = await cluster.ListServicesAsync();
        Assert.IsTrue(services.All(s => s.IsUp), "Both hosts should be up.");
        CollectionAssert.AreEquivalent(new[] { "compute-1", "compute-2" }, services.Select(s => s.Service.Host).ToArray());
        Assert.IsTrue(services.All(s => s.InstanceCount == 2), string.Join(", ", services.Select(s => $"{s.Service.Host}: {s.InstanceCount}")));

        // Every process stops cleanly on SIGTERM.
        await cluster.StopAllAsync();
        Assert.AreEqual(0, compute1.ExitCode);
        Assert.AreEqual(0, compute2.ExitCode);
        Assert.AreEqual(0, cluster.Conductor!.ExitCode);
    }
}
