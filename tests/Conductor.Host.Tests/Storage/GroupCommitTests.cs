using Conductor.Abstractions;
using Conductor.Abstractions.Compute;

namespace Conductor.Host.Tests.Storage;

/// <summary>
/// Group commit of transactions: writes that queue while a batch is being committed are applied together in the next
/// batch, a refused write in a batch costs the others nothing, and heartbeats are answered once committed.
/// </summary>
[TestClass]
public sealed class GroupCommitTests
{
    private const int Writers = 8;

    [TestMethod]
    public async Task UpdateAsync_QueuedBehindACommittingBatch_CommittedTogetherInOneBatchAndAllDurable()
    {
        using var fixture = new StorageFixture();
        await fixture.AddHostAsync("host-a");
        Instance[] created = await CreateInstancesAsync(fixture, Writers);
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        long batchesBefore = fixture.Database.BatchCount;
        long requestsBefore = fixture.Database.DurableWaitCount;
        using var blocker = new CommitBlocker(fixture.Database, cts.Token);
        await blocker.Started.WaitAsync(cts.Token);

        IInstanceRepository instances = fixture.Instances("host-a");
        Task<Instance>[] writes = created
            .Select(i => Task.Run(() => instances.UpdateAsync(Spawn(i), cts.Token)))
            .ToArray();
        Assert.IsTrue(
            SpinWait.SpinUntil(() => fixture.Database.DurableWaitCount - requestsBefore == Writers + 1, StorageFixture.Timeout),
            "Every write must have been queued behind the blocked batch.");
        Assert.IsFalse(writes.Any(w => w.IsCompleted), "No queued write may be answered before it is committed.");
        blocker.Release();
        Instance[] updated = await Task.WhenAll(writes).WaitAsync(cts.Token);
        await blocker.Completion.WaitAsync(cts.Token);

        Assert.AreEqual(2, fixture.Database.BatchCount - batchesBefore, "The blocked batch, then one batch for all the writes queued behind it.");
        foreach (Instance instance in updated)
        {
            Assert.AreEqual(TaskState.Spawning, instance.TaskState);
            Assert.AreEqual(TaskState.Spawning, fixture.Database.Instances.FindById(instance.Id).TaskState);
        }
    }

    [TestMethod]
    public async Task UpdateAsync_OneWriteOfABatchRefused_OnlyThatOneFailsAndTheOthersApply()
    {
        using var fixture = new StorageFixture();
        await fixture.AddHostAsync("host-a");
        Instance[] created = await CreateInstancesAsync(fixture, Writers);
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        long requestsBefore = fixture.Database.DurableWaitCount;
        using var blocker = new CommitBlocker(fixture.Database, cts.Token);
        await blocker.Started.WaitAsync(cts.Token);

        IInstanceRepository instances = fixture.Instances("host-a");
        const int Refused = Writers / 2;
        Task<Instance>[] writes = created
            .Select((instance, i) => i == Refused
                ? Task.Run(() => instances.UpdateAsync(Spawn(instance) with { ExpectedTaskState = TaskState.Deleting }, cts.Token))
                : Task.Run(() => instances.UpdateAsync(Spawn(instance), cts.Token)))
            .ToArray();
        Assert.IsTrue(SpinWait.SpinUntil(() => fixture.Database.DurableWaitCount - requestsBefore == Writers + 1, StorageFixture.Timeout));
        blocker.Release();

        await Assert.ThrowsExactlyAsync<ConflictException>(() => writes[Refused].WaitAsync(cts.Token));
        for (int i = 0; i < Writers; i++)
        {
            TaskState expected = i == Refused ? TaskState.Scheduling : TaskState.Spawning;
            if (i != Refused)
            {
                Assert.AreEqual(TaskState.Spawning, (await writes[i].WaitAsync(cts.Token)).TaskState);
            }

            Assert.AreEqual(expected, fixture.Database.Instances.FindById(created[i].Id).TaskState);
        }
    }

    [TestMethod]
    public async Task UpdateAsync_SameRequestTwiceInOneBatch_AppliedOnceAndBothGetTheOutcome()
    {
        using var fixture = new StorageFixture();
        await fixture.AddHostAsync("host-a");
        Instance created = await fixture.CreateInstanceAsync();
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        long requestsBefore = fixture.Database.DurableWaitCount;
        using var blocker = new CommitBlocker(fixture.Database, cts.Token);
        await blocker.Started.WaitAsync(cts.Token);

        IInstanceRepository instances = fixture.Instances("host-a");
        InstanceUpdate spawn = Spawn(created);
        Task<Instance> first = Task.Run(() => instances.UpdateAsync(spawn, cts.Token));
        Task<Instance> retry = Task.Run(() => instances.UpdateAsync(spawn, cts.Token));
        Assert.IsTrue(SpinWait.SpinUntil(() => fixture.Database.DurableWaitCount - requestsBefore == 3, StorageFixture.Timeout));
        blocker.Release();

        Instance a = await first.WaitAsync(cts.Token);
        Instance b = await retry.WaitAsync(cts.Token);
        Assert.AreEqual(a, b);
        Assert.AreEqual(created.Revision + 1, fixture.Database.Instances.FindById(created.Id).Revision, "The request was applied once.");
    }

    [TestMethod]
    public async Task HeartbeatAsync_SyncHeld_AnsweredOnceCommittedWithoutWaitingForTheSync()
    {
        using var sync = new GatedStorageSync();
        using var fixture = new StorageFixture(sync);
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        IServiceRepository services = fixture.Services("host-a");
        ServiceRecord registered = await services.RegisterAsync(new ServiceRegistration { Binary = "compute-host", Version = "1.0" }, cts.Token);
        sync.Close();
        sync.ResetStarted();

        // A durable write holds the sync, so a heartbeat that waited for one could not be answered.
        Task<ServiceRecord> held = Task.Run(() => fixture.Services("host-b")
            .RegisterAsync(new ServiceRegistration { Binary = "compute-host", Version = "1.0" }, cts.Token));
        await sync.Started.WaitAsync(cts.Token);

        // Old enough on disk that this heartbeat writes the record (a more recent one would stay in memory).
        ((FakeTimeProvider)fixture.Time).Advance(Repositories.ServiceLiveness.PersistInterval);
        ServiceRecord beat = await services.HeartbeatAsync(cts.Token);

        Assert.IsFalse(held.IsCompleted, "The durable write must still be waiting for its sync.");
        Assert.IsTrue(beat.LastHeartbeatAtUtc > registered.LastHeartbeatAtUtc);
        Assert.AreEqual(beat.LastHeartbeatAtUtc, fixture.Database.Services.FindById("host-a").LastHeartbeatAtUtc, "The heartbeat is committed.");
        sync.Open();
        await held.WaitAsync(cts.Token);
    }

    private static InstanceUpdate Spawn(Instance instance) =>
        new() { InstanceId = instance.Id, ExpectedTaskState = TaskState.Scheduling, TaskState = TaskState.Spawning };

    private static async Task<Instance[]> CreateInstancesAsync(StorageFixture fixture, int count)
    {
        var created = new Instance[count];
        for (int i = 0; i < count; i++)
        {
            created[i] = await fixture.CreateInstanceAsync($"vm-{i}");
        }

        return created;
    }
}
