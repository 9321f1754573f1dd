using Conductor.Abstractions;
using Conductor.Abstractions.Compute;

namespace Conductor.Specification.Tests;

public abstract partial class ConductorSpecification
{
    [TestMethod]
    public async Task Create_HostWithRoom_SchedulesBuildingInstanceOntoIt()
    {
        await using var host = await AddHostAsync("compute-a");

        Instance created = await CreateInstanceAsync("web-1");
        Instance read = await host.Instances.GetAsync(created.Id, Token);

        Assert.AreEqual("compute-a", created.Host);
        Assert.AreEqual(VmState.Building, read.VmState);
        Assert.AreEqual(TaskState.Scheduling, read.TaskState);
        Assert.AreEqual("web-1", read.Name);
        AssertUtcMilliseconds(read.CreatedAtUtc);
    }

    [TestMethod]
    public async Task Create_NoHost_ThrowsNoCapacity()
    {
        await Assert.ThrowsExactlyAsync<NoCapacityException>(() => CreateInstanceAsync());
    }

    [TestMethod]
    public async Task Create_SameRequestTwice_ReturnsSameInstance()
    {
        await using var host = await AddHostAsync("compute-a");
        var request = new InstanceCreate { Name = "once", Flavor = Small };

        Instance first = await Admin.AdminInstances.CreateAsync(request, Token);
        Instance retried = await Admin.AdminInstances.CreateAsync(request, Token);

        Assert.AreEqual(first.Id, retried.Id);
        Page<Instance> all = await Admin.AdminInstances.ListAsync(new PageRequest(), Token);
        Assert.HasCount(1, all.Items);
    }

    [TestMethod]
    public async Task Get_OtherHostsInstance_IsIndistinguishableFromMissing()
    {
        await using var owner = await AddHostAsync("compute-a");
        await using var other = await Target.ConnectAsync("compute-b");
        Instance instance = await CreateInstanceAsync();
        Guid missing = Guid.NewGuid();

        NotFoundException foreign = await Assert.ThrowsExactlyAsync<NotFoundException>(() => other.Instances.GetAsync(instance.Id, Token));
        NotFoundException absent = await Assert.ThrowsExactlyAsync<NotFoundException>(() => other.Instances.GetAsync(missing, Token));

        Assert.AreEqual(absent.Message.Replace(missing.ToString(), "ID", StringComparison.Ordinal), foreign.Message.Replace(instance.Id.ToString(), "ID", StringComparison.Ordinal));
    }

    [TestMethod]
    public async Task Update_OtherHostsInstanceWithWrongExpectation_ThrowsNotFoundNotConflict()
    {
        await using var owner = await AddHostAsync("compute-a");
        await using var other = await Target.ConnectAsync("compute-b");
        Instance instance = await CreateInstanceAsync();

        await Assert.ThrowsExactlyAsync<NotFoundException>(() => other.Instances.UpdateAsync(
            new InstanceUpdate { InstanceId = instance.Id, ExpectedTaskState = TaskState.Deleting, TaskState = TaskState.None }, Token));
        await Assert.ThrowsExactlyAsync<NotFoundException>(() => other.Instances.MarkDeletedAsync(
            new InstanceDeletion { InstanceId = instance.Id, ExpectedTaskState = TaskState.Scheduling }, Token));
        await Assert.ThrowsExactlyAsync<NotFoundException>(() => other.Actions.StartAsync(
            new InstanceActionStart { InstanceId = instance.Id, Action = "spawn" }, Token));
        Assert.AreEqual(TaskState.Scheduling, (await owner.Instances.GetAsync(instance.Id, Token)).TaskState, "Nothing changed.");
    }

    [TestMethod]
    public async Task Update_ExpectedStateMatches_AppliesOnlyChangedFields()
    {
        await using var host = await AddHostAsync("compute-a");
        Instance instance = await CreateInstanceAsync();

        Instance updated = await host.Instances.UpdateAsync(
            new InstanceUpdate { InstanceId = instance.Id, ExpectedTaskState = TaskState.Scheduling, TaskState = TaskState.Spawning }, Token);

        Assert.AreEqual(TaskState.Spawning, updated.TaskState);
        Assert.AreEqual(VmState.Building, updated.VmState, "A field that was not sent is left as it was.");
        Assert.AreEqual(PowerState.NoState, updated.PowerState);
        Assert.AreEqual("compute-a", updated.Host);
        Assert.IsGreaterThan(instance.Revision, updated.Revision);
    }

    [TestMethod]
    public async Task Update_ExpectedStateStale_ThrowsConflictAndChangesNothing()
    {
        await using var host = await AddHostAsync("compute-a");
        Instance instance = await CreateInstanceAsync();
        await host.Instances.UpdateAsync(new InstanceUpdate { InstanceId = instance.Id, ExpectedTaskState = TaskState.Scheduling, TaskState = TaskState.Spawning }, Token);

        await Assert.ThrowsExactlyAsync<ConflictException>(() => host.Instances.UpdateAsync(
            new InstanceUpdate { InstanceId = instance.Id, ExpectedTaskState = TaskState.Scheduling, VmState = VmState.Error }, Token));

        Assert.AreEqual(VmState.Building, (await host.Instances.GetAsync(instance.Id, Token)).VmState);
    }

    [TestMethod]
    public async Task Update_RetriedWithSameRequest_IsAppliedOnce()
    {
        await using var host = await AddHostAsync("compute-a");
        Instance instance = await CreateInstanceAsync();
        var update = new InstanceUpdate { InstanceId = instance.Id, ExpectedTaskState = TaskState.Scheduling, TaskState = TaskState.Spawning };

        Instance first = await host.Instances.UpdateAsync(update, Token);
        Instance retried = await host.Instances.UpdateAsync(update, Token);

        Assert.AreEqual(first.Revision, retried.Revision, "A retry of an applied write is recognised, not applied again nor refused.");
    }

    [TestMethod]
    public async Task Update_ConcurrentSameExpectationFromSeparateConnections_ExactlyOneWins()
    {
        const int Writers = 8;
        await using var host = await AddHostAsync("compute-a");
        Instance instance = await CreateInstanceAsync();
        var connections = new List<Targets.ConductorClient>();
        for (int i = 0; i < Writers; i++)
        {
            connections.Add(await Target.ConnectAsync("compute-a"));
        }

        try
        {
            using var start = new ManualResetEventSlim();
            Task<Instance>[] updates = connections.Select(c => Task.Run(() =>
            {
                start.Wait(Token);
                return c.Instances.UpdateAsync(new InstanceUpdate { InstanceId = instance.Id, ExpectedTaskState = TaskState.Scheduling, TaskState = TaskState.Spawning }, Token);
            })).ToArray();
            start.Set();
            await Task.WhenAll(updates.Select(u => u.ContinueWith(_ => { }, TaskScheduler.Default)));

            Assert.AreEqual(1, updates.Count(u => u.IsCompletedSuccessfully), "Exactly one compare-and-swap wins.");
            Assert.IsTrue(updates.Where(u => !u.IsCompletedSuccessfully).All(u => u.Exception?.InnerException is ConflictException), "Every other writer gets the conflict error.");
        }
        finally
        {
            foreach (Targets.ConductorClient connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [TestMethod]
    public async Task Create_ConcurrentBeyondCapacity_NeverOvercommitsAHost()
    {
        await using var a = await AddHostAsync("compute-a", vcpus: 3, memoryMb: 4096, diskGb: 100);
        await using var b = await AddHostAsync("compute-b", vcpus: 2, memoryMb: 4096, diskGb: 100);

        Task<Instance>[] creates = Enumerable.Range(0, 12).Select(i => Task.Run(() => CreateInstanceAsync("vm-" + i))).ToArray();
        await Task.WhenAll(creates.Select(c => c.ContinueWith(_ => { }, TaskScheduler.Default)));

        Instance[] placed = creates.Where(c => c.IsCompletedSuccessfully).Select(c => c.Result).ToArray();
        Assert.HasCount(5, placed, "Five one-vCPU instances fit on 3 + 2 vCPUs.");
        Assert.AreEqual(3, placed.Count(i => i.Host == "compute-a"));
        Assert.AreEqual(2, placed.Count(i => i.Host == "compute-b"));
        Assert.IsTrue(creates.Where(c => !c.IsCompletedSuccessfully).All(c => c.Exception?.InnerException is NoCapacityException));
    }

    [TestMethod]
    public async Task List_ManyInstances_KeysetPagesReturnEachOnceInOrder()
    {
        await using var host = await AddHostAsync("compute-a");
        await using var other = await AddHostAsync("compute-b", vcpus: 1, memoryMb: 512, diskGb: 1);
        var created = new HashSet<Guid>();
        for (int i = 0; i < 25; i++)
        {
            Instance instance = await CreateInstanceAsync("vm-" + i);
            if (instance.Host == "compute-a")
            {
                created.Add(instance.Id);
            }
        }

        var seen = new List<Guid>();
        string? after = null;
        int pages = 0;
        do
        {
            Page<Instance> page = await host.Instances.ListAsync(new PageRequest { After = after, Limit = 7 }, Token);
            Assert.IsLessThanOrEqualTo(7, page.Items.Count);
            seen.AddRange(page.Items.Select(i => i.Id));
            after = page.NextPageToken;
            pages++;
        }
        while (after is not null && pages < 100);

        CollectionAssert.AreEquivalent(created.ToArray(), seen.ToArray(), "Every own instance exactly once, and no other host's.");
        CollectionAssert.AreEqual(seen.OrderBy(g => g.ToString(), StringComparer.Ordinal).ToArray(), seen.ToArray(), "Pages are in identifier order.");
    }

    [TestMethod]
    public async Task List_MalformedPageToken_ThrowsInvalidRequest()
    {
        await using var host = await AddHostAsync("compute-a");

        await Assert.ThrowsExactlyAsync<InvalidRequestException>(() => host.Instances.ListAsync(new PageRequest { After = "not-a-token\"); drop", Limit = 10 }, Token));
        await Assert.ThrowsExactlyAsync<InvalidRequestException>(() => host.Instances.ListAsync(new PageRequest { Limit = PageRequest.MaxLimit + 1 }, Token));
    }

    [TestMethod]
    public async Task Delete_ThenHostMarksDeleted_InstanceLeavesDefaultListing()
    {
        await using var host = await AddHostAsync("compute-a");
        Instance instance = await CreateInstanceAsync();

        Instance deleting = await Admin.AdminInstances.DeleteAsync(new InstanceDeleteRequest { InstanceId = instance.Id }, Token);
        Instance deleted = await host.Instances.MarkDeletedAsync(new InstanceDeletion { InstanceId = instance.Id, ExpectedTaskState = TaskState.Deleting }, Token);

        Assert.AreEqual(TaskState.Deleting, deleting.TaskState);
        Assert.AreEqual(VmState.Deleted, deleted.VmState);
        Assert.IsNotNull(deleted.DeletedAtUtc);
        Assert.IsEmpty((await host.Instances.ListAsync(new PageRequest(), Token)).Items);
        Assert.HasCount(1, (await host.Instances.ListAsync(new PageRequest { IncludeDeleted = true }, Token)).Items);
    }

    [TestMethod]
    public async Task Actions_StartAndFinish_AreListedOldestFirst()
    {
        await using var host = await AddHostAsync("compute-a");
        Instance instance = await CreateInstanceAsync();

        InstanceAction spawn = await host.Actions.StartAsync(new InstanceActionStart { InstanceId = instance.Id, Action = "spawn" }, Token);
        await host.Actions.FinishAsync(new InstanceActionFinish { ActionId = spawn.Id, Result = ActionResult.Success }, Token);
        InstanceAction reboot = await host.Actions.StartAsync(new InstanceActionStart { InstanceId = instance.Id, Action = "reboot" }, Token);
        IReadOnlyList<InstanceAction> actions = await host.Actions.ListAsync(instance.Id, Token);

        CollectionAssert.AreEqual(new[] { "spawn", "reboot" }, actions.Select(a => a.Action).ToArray());
        Assert.AreEqual(ActionResult.Success, actions[0].Result);
        Assert.IsNotNull(actions[0].FinishedAtUtc);
        Assert.IsNull(actions[1].Result);
        Assert.AreEqual(reboot.Id, actions[1].Id);
        Assert.AreEqual("compute-a", actions[0].Host);
    }
}
