using Compute.Host.Lifecycle;
using Conductor.Abstractions;
using Conductor.Abstractions.Compute;

namespace Compute.Host.Tests;

[TestClass]
public sealed class InstanceManagerTests
{
    [TestMethod]
    public async Task RunOnceAsync_InstanceScheduledToHost_BecomesActiveWithSpawnActionSucceeded()
    {
        // Arrange
        await using var harness = new ComputeHostHarness();
        Instance scheduled = harness.Instances.Add("web-1", VmState.Building, TaskState.Scheduling);

        // Act
        int handled = await harness.Manager.RunOnceAsync(TestTimeout.Token);

        // Assert
        Assert.AreEqual(1, handled);
        Instance after = harness.Instances.Snapshot(scheduled.Id);
        Assert.AreEqual(VmState.Active, after.VmState);
        Assert.AreEqual(TaskState.None, after.TaskState);
        Assert.AreEqual(PowerState.Running, after.PowerState);
        Assert.AreEqual(harness.Time.GetUtcNow().UtcDateTime, after.LaunchedAtUtc);
        CollectionAssert.AreEqual(new[] { scheduled.Id }, harness.Driver.SpawnCalls.ToArray());
        InstanceAction action = (await harness.Actions.ListAsync(scheduled.Id, TestTimeout.Token)).Single();
        Assert.AreEqual(InstanceManager.SpawnAction, action.Action);
        Assert.AreEqual(ActionResult.Success, action.Result);
        Assert.IsNotNull(action.FinishedAtUtc);
    }

    [TestMethod]
    public async Task RunOnceAsync_ClaimLostToAnotherWriter_SkipsWithoutCallingDriver()
    {
        // Arrange: an operator's delete lands between the host's read and its compare-and-swap.
        await using var harness = new ComputeHostHarness();
        Instance scheduled = harness.Instances.Add("web-1", VmState.Building, TaskState.Scheduling);
        harness.Instances.BeforeWrite = _ => harness.Instances.Mutate(scheduled.Id, i => i with { TaskState = TaskState.Deleting });

        // Act
        await harness.Manager.RunOnceAsync(TestTimeout.Token);

        // Assert
        Assert.AreEqual(0, harness.Driver.SpawnCalls.Count);
        Assert.AreEqual(0, (await harness.Actions.ListAsync(scheduled.Id, TestTimeout.Token)).Count);
        Assert.AreEqual(TaskState.Deleting, harness.Instances.Snapshot(scheduled.Id).TaskState);
        Assert.AreEqual(VmState.Building, harness.Instances.Snapshot(scheduled.Id).VmState);
    }

    [TestMethod]
    public async Task RunOnceAsync_DriverFails_MarksErrorAndFinishesActionWithError()
    {
        // Arrange
        await using var harness = new ComputeHostHarness();
        Instance scheduled = harness.Instances.Add("web-1", VmState.Building, TaskState.Scheduling);
        harness.Driver.SpawnFailure = new InvalidOperationException("The simulated disk is full.");

        // Act
        await harness.Manager.RunOnceAsync(TestTimeout.Token);

        // Assert
        Instance after = harness.Instances.Snapshot(scheduled.Id);
        Assert.AreEqual(VmState.Error, after.VmState);
        Assert.AreEqual(TaskState.None, after.TaskState);
        InstanceAction action = (await harness.Actions.ListAsync(scheduled.Id, TestTimeout.Token)).Single();
        Assert.AreEqual(ActionResult.Error, action.Result);
        Assert.AreEqual("The simulated disk is full.", action.Message);
    }

    [TestMethod]
    public async Task RunOnceAsync_InstanceDeleting_DestroysMarksDeletedAndRecordsAction()
    {
        // Arrange
        await using var harness = new ComputeHostHarness();
        Instance deleting = harness.Instances.Add("web-1", VmState.Active, TaskState.Deleting);
        harness.Driver.Run(deleting);

        // Act
        int handled = await harness.Manager.RunOnceAsync(TestTimeout.Token);

        // Assert
        Assert.AreEqual(1, handled);
        CollectionAssert.AreEqual(new[] { deleting.Id }, harness.Driver.DestroyCalls.ToArray());
        Assert.AreEqual(0, harness.Driver.GetRunningInstances().Count);
        Instance after = harness.Instances.Snapshot(deleting.Id);
        Assert.AreEqual(VmState.Deleted, after.VmState);
        Assert.IsNotNull(after.DeletedAtUtc);
        Assert.IsInstanceOfType<InstanceDeletion>(harness.Instances.Writes.Single());
        InstanceAction action = (await harness.Actions.ListAsync(deleting.Id, TestTimeout.Token)).Single();
        Assert.AreEqual(InstanceManager.DeleteAction, action.Action);
        Assert.AreEqual(ActionResult.Success, action.Result);
    }

    [TestMethod]
    public async Task RunOnceAsync_InstancesSpanSeveralPages_HandlesEveryInstance()
    {
        // Arrange: 7 instances in pages of 2, one already active in the middle.
        await using var harness = new ComputeHostHarness(new Dictionary<string, string?> { ["Compute:PageSize"] = "2" });
        List<Instance> scheduled = [.. Enumerable.Range(1, 6).Select(n => harness.Instances.Add($"web-{n}", VmState.Building, TaskState.Scheduling))];
        harness.Instances.Add("db-1", VmState.Active, TaskState.None);

        // Act
        int handled = await harness.Manager.RunOnceAsync(TestTimeout.Token);

        // Assert
        Assert.AreEqual(6, handled);
        Assert.AreEqual(4, harness.Instances.ListCalls);
        foreach (Instance instance in scheduled)
        {
            Assert.AreEqual(VmState.Active, harness.Instances.Snapshot(instance.Id).VmState, $"Instance {instance.Name} was not built.");
        }

        Assert.AreEqual(6, harness.Driver.SpawnCalls.Distinct().Count());
    }

    [TestMethod]
    public async Task RunOnceAsync_InstanceLeftSpawningByCrash_ResumesAndFinishesOpenAction()
    {
        // Arrange: a previous run claimed the instance and started the action, then died.
        await using var harness = new ComputeHostHarness();
        Instance spawning = harness.Instances.Add("web-1", VmState.Building, TaskState.Spawning);
        InstanceAction open = await harness.Actions.StartAsync(new InstanceActionStart { InstanceId = spawning.Id, Action = InstanceManager.SpawnAction }, TestTimeout.Token);

        // Act
        await harness.Manager.RunOnceAsync(TestTimeout.Token);

        // Assert
        Assert.AreEqual(VmState.Active, harness.Instances.Snapshot(spawning.Id).VmState);
        InstanceAction action = (await harness.Actions.ListAsync(spawning.Id, TestTimeout.Token)).Single();
        Assert.AreEqual(open.Id, action.Id);
        Assert.AreEqual(ActionResult.Success, action.Result);
    }

    [TestMethod]
    public async Task RunOnceAsync_DeleteRequestedDuringSpawn_LeavesDeletingAndFinishesActionWithError()
    {
        // Arrange
        await using var harness = new ComputeHostHarness();
        Instance scheduled = harness.Instances.Add("web-1", VmState.Building, TaskState.Scheduling);
        harness.Driver.OnSpawn = (instance, _) =>
        {
            harness.Instances.Mutate(instance.Id, i => i with { TaskState = TaskState.Deleting });
            return Task.CompletedTask;
        };

        // Act
        await harness.Manager.RunOnceAsync(TestTimeout.Token);

        // Assert
        Assert.AreEqual(TaskState.Deleting, harness.Instances.Snapshot(scheduled.Id).TaskState);
        InstanceAction action = (await harness.Actions.ListAsync(scheduled.Id, TestTimeout.Token)).Single();
        Assert.AreEqual(ActionResult.Error, action.Result);
        StringAssert.Contains(action.Message, "left the spawning state");
    }

    [TestMethod]
    public async Task RunOnceAsync_ConductorUnavailableDuringClaim_RetriesWithSameRequest()
    {
        // Arrange
        await using var harness = new ComputeHostHarness();
        Instance scheduled = harness.Instances.Add("web-1", VmState.Building, TaskState.Scheduling);
        bool failed = false;
        harness.Instances.BeforeWrite = _ =>
        {
            if (!failed)
            {
                failed = true;
                throw new ConductorUnavailableException("The conductor is restarting.");
            }
        };

        // Act
        Task<int> run = harness.Manager.RunOnceAsync(TestTimeout.Token);
        TimeSpan backoff = await harness.Time.TimersCreated.Reader.ReadAsync(TestTimeout.Token);
        harness.Time.Advance(backoff);
        await run.WaitAsync(TestTimeout.Token);

        // Assert
        IReadOnlyList<IWriteRequest> writes = harness.Instances.Writes;
        Assert.AreEqual(writes[0].RequestId, writes[1].RequestId, "The retried claim must reuse the request id of the first try.");
        Assert.AreEqual(VmState.Active, harness.Instances.Snapshot(scheduled.Id).VmState);
    }
}
