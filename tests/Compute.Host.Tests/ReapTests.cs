using Conductor.Abstractions.Compute;

namespace Compute.Host.Tests;

[TestClass]
public sealed class ReapTests
{
    [TestMethod]
    public async Task ReapOnceAsync_RunningInstancesDeletedOrNotOnThisHost_DestroysOnlyThoseWithOneGetMany()
    {
        // Arrange: one live, one the conductor has deleted, one the conductor does not have on this host.
        await using var harness = new ComputeHostHarness();
        Instance live = harness.Instances.Add("live", VmState.Active, TaskState.None);
        Instance deleted = harness.Instances.Add("deleted", VmState.Active, TaskState.None);
        Instance moved = harness.Instances.Add("moved", VmState.Active, TaskState.None);
        harness.Driver.Run(live);
        harness.Driver.Run(deleted);
        harness.Driver.Run(moved);
        harness.Instances.Mutate(deleted.Id, i => i with { VmState = VmState.Deleted, DeletedAtUtc = harness.Time.GetUtcNow().UtcDateTime });
        harness.Instances.Remove(moved.Id);

        // Act
        int reaped = await harness.Manager.ReapOnceAsync(TestTimeout.Token);

        // Assert
        Assert.AreEqual(2, reaped);
        CollectionAssert.AreEquivalent(new[] { deleted.Id, moved.Id }, harness.Driver.DestroyCalls.ToArray());
        CollectionAssert.AreEqual(new[] { live.Id }, harness.Driver.GetRunningInstances().Select(i => i.Id).ToArray());
        Assert.AreEqual(1, harness.Instances.GetManyCalls);
        Assert.AreEqual(0, harness.Instances.GetCalls);
    }

    [TestMethod]
    public async Task ReapOnceAsync_ConductorServesInstancesOneZero_FallsBackToOneGetPerInstance()
    {
        // Arrange: the proxy refuses GetMany because the conductor is older than this host.
        await using var harness = new ComputeHostHarness();
        harness.Instances.ServesGetMany = false;
        Instance live = harness.Instances.Add("live", VmState.Active, TaskState.None);
        Instance moved = harness.Instances.Add("moved", VmState.Active, TaskState.None);
        harness.Driver.Run(live);
        harness.Driver.Run(moved);
        harness.Instances.Remove(moved.Id);

        // Act
        int reaped = await harness.Manager.ReapOnceAsync(TestTimeout.Token);

        // Assert
        Assert.AreEqual(1, reaped);
        CollectionAssert.AreEqual(new[] { moved.Id }, harness.Driver.DestroyCalls.ToArray());
        Assert.AreEqual(2, harness.Instances.GetCalls);
    }

    [TestMethod]
    public async Task ReapOnceAsync_NothingRunning_CallsNothing()
    {
        await using var harness = new ComputeHostHarness();
        harness.Instances.Add("scheduled", VmState.Building, TaskState.Scheduling);

        int reaped = await harness.Manager.ReapOnceAsync(TestTimeout.Token);

        Assert.AreEqual(0, reaped);
        Assert.AreEqual(0, harness.Instances.GetManyCalls);
    }
}
