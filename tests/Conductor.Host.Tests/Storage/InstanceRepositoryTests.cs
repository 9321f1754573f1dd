using Conductor.Abstractions;
using Conductor.Abstractions.Compute;

namespace Conductor.Host.Tests.Storage;

[TestClass]
public sealed class InstanceRepositoryTests
{
    [TestMethod]
    public async Task UpdateAsync_ConcurrentSameExpectation_ExactlyOneWins()
    {
        using var fixture = new StorageFixture();
        await fixture.AddHostAsync("host-a");
        Instance instance = await fixture.CreateInstanceAsync();
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        const int Callers = 8;
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        InstanceUpdate[] updates = [.. Enumerable.Range(0, Callers).Select(_ =>
            new InstanceUpdate { InstanceId = instance.Id, ExpectedTaskState = TaskState.Scheduling, TaskState = TaskState.Spawning })];

        Task<Instance>[] attempts = [.. updates.Select(update => Task.Run(async () =>
        {
            IInstanceRepository repository = fixture.Instances("host-a");
            await go.Task.WaitAsync(cts.Token);
            return await repository.UpdateAsync(update, cts.Token);
        }))];
        go.SetResult();
        try
        {
            await Task.WhenAll(attempts).WaitAsync(cts.Token);
        }
        catch (ConflictException)
        {
            // Inspected per attempt below.
        }

        Assert.AreEqual(1, attempts.Count(t => t.IsCompletedSuccessfully));
        Assert.AreEqual(Callers - 1, attempts.Count(t => t.Exception?.InnerException is ConflictException));
        int winner = Array.FindIndex(attempts, t => t.IsCompletedSuccessfully);
        Instance won = attempts[winner].Result;
        Assert.AreEqual(instance.Revision + 1, won.Revision);

        Instance retried = await fixture.Instances("host-a").UpdateAsync(updates[winner], cts.Token);
        Assert.AreEqual(won, retried);
        await Assert.ThrowsExactlyAsync<ConflictException>(() => fixture.Instances("host-a").UpdateAsync(updates[(winner + 1) % Callers], cts.Token));
    }

    [TestMethod]
    public async Task Operations_OtherHostsInstance_NotFoundLikeMissingId()
    {
        using var fixture = new StorageFixture();
        await fixture.AddHostAsync("host-a");
        Instance instance = await fixture.CreateInstanceAsync();
        Assert.AreEqual("host-a", instance.Host);
        Guid missing = Guid.NewGuid();
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        IInstanceRepository other = fixture.Instances("host-b");
        IInstanceActionRepository otherActions = fixture.Actions("host-b");
        Func<Guid, Task>[] operations =
        [
            id => other.GetAsync(id, cts.Token),
            id => other.UpdateAsync(new InstanceUpdate { InstanceId = id, ExpectedTaskState = TaskState.Scheduling, TaskState = TaskState.Spawning }, cts.Token),
            id => other.MarkDeletedAsync(new InstanceDeletion { InstanceId = id, ExpectedTaskState = TaskState.Scheduling }, cts.Token),
            id => otherActions.StartAsync(new InstanceActionStart { InstanceId = id, Action = "spawn" }, cts.Token),
            id => otherActions.ListAsync(id, cts.Token),
        ];

        foreach (Func<Guid, Task> operation in operations)
        {
            var foreign = await Assert.ThrowsExactlyAsync<NotFoundException>(() => operation(instance.Id));
            var absent = await Assert.ThrowsExactlyAsync<NotFoundException>(() => operation(missing));
            Assert.AreEqual(absent.Message.Replace(missing.ToString(), "ID", StringComparison.Ordinal), foreign.Message.Replace(instance.Id.ToString(), "ID", StringComparison.Ordinal));
            Assert.DoesNotContain("host", foreign.Message, StringComparison.OrdinalIgnoreCase);
        }

        Instance unchanged = await fixture.Instances("host-a").GetAsync(instance.Id, cts.Token);
        Assert.AreEqual(instance, unchanged);
    }

    [TestMethod]
    public async Task MarkDeletedAsync_ExpectedState_DeletesIdempotently()
    {
        using var fixture = new StorageFixture();
        await fixture.AddHostAsync("host-a");
        Instance instance = await fixture.CreateInstanceAsync();
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        await fixture.AdminInstances().DeleteAsync(new InstanceDeleteRequest { InstanceId = instance.Id }, cts.Token);
        var deletion = new InstanceDeletion { InstanceId = instance.Id, ExpectedTaskState = TaskState.Deleting };

        Instance deleted = await fixture.Instances("host-a").MarkDeletedAsync(deletion, cts.Token);
        Instance again = await fixture.Instances("host-a").MarkDeletedAsync(deletion, cts.Token);

        Assert.AreEqual(VmState.Deleted, deleted.VmState);
        Assert.AreEqual(TaskState.None, deleted.TaskState);
        Assert.IsNotNull(deleted.DeletedAtUtc);
        Assert.AreEqual(deleted, again);
        Assert.IsEmpty((await fixture.Instances("host-a").ListAsync(new PageRequest(), cts.Token)).Items);
        Assert.HasCount(1, (await fixture.Instances("host-a").ListAsync(new PageRequest { IncludeDeleted = true }, cts.Token)).Items);
        Assert.AreEqual(0, (await fixture.AdminServices().ListAsync(cts.Token)).Single().InstanceCount);
    }

    [TestMethod]
    public async Task ActionLifecycle_StartRetryFinish_IdempotentAndOrdered()
    {
        using var fixture = new StorageFixture();
        await fixture.AddHostAsync("host-a");
        Instance instance = await fixture.CreateInstanceAsync();
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        IInstanceActionRepository actions = fixture.Actions("host-a");
        var start = new InstanceActionStart { InstanceId = instance.Id, Action = "spawn" };

        InstanceAction started = await actions.StartAsync(start, cts.Token);
        Assert.AreEqual(started, await actions.StartAsync(start, cts.Token));
        var finish = new InstanceActionFinish { ActionId = started.Id, Result = ActionResult.Success };
        InstanceAction finished = await actions.FinishAsync(finish, cts.Token);
        Assert.AreEqual(finished, await actions.FinishAsync(finish, cts.Token));
        await Assert.ThrowsExactlyAsync<ConflictException>(() => actions.FinishAsync(finish with { Result = ActionResult.Error }, cts.Token));
        await Assert.ThrowsExactlyAsync<NotFoundException>(() => fixture.Actions("host-b").FinishAsync(finish, cts.Token));
        ((FakeTimeProvider)fixture.Time).Advance(TimeSpan.FromSeconds(1));
        InstanceAction second = await actions.StartAsync(new InstanceActionStart { InstanceId = instance.Id, Action = "stop" }, cts.Token);

        IReadOnlyList<InstanceAction> listed = await actions.ListAsync(instance.Id, cts.Token);

        CollectionAssert.AreEqual(new[] { started.Id, second.Id }, listed.Select(a => a.Id).ToArray());
        Assert.AreEqual(ActionResult.Success, listed[0].Result);
    }
}
