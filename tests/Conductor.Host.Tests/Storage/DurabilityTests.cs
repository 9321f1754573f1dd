using Conductor.Abstractions;
using Conductor.Abstractions.Compute;
using Conductor.Host.Storage.Documents;

namespace Conductor.Host.Tests.Storage;

[TestClass]
public sealed class DurabilityTests
{
    [TestMethod]
    public async Task RegisterAsync_SyncHeld_NotAcknowledgedUntilSyncAfterCommitCompletes()
    {
        using var sync = new GatedStorageSync();
        using var fixture = new StorageFixture(sync);
        bool? committedWhenSyncBegan = null;
        sync.OnSync = () => committedWhenSyncBegan ??= fixture.Database.Database
            .GetCollection<ServiceDocument>("services").FindById("host-a") is not null;
        sync.Close();
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);

        Task<ServiceRecord> write = Task.Run(() => fixture.Services("host-a")
            .RegisterAsync(new ServiceRegistration { Binary = "compute-host", Version = "1.0" }, cts.Token));
        await sync.Started.WaitAsync(cts.Token);

        Assert.IsTrue(committedWhenSyncBegan, "The write must be committed before the sync that acknowledges it begins.");
        Assert.IsFalse(write.IsCompleted, "The write must not be acknowledged while its sync is still running.");
        sync.Open();
        ServiceRecord record = await write.WaitAsync(cts.Token);
        Assert.AreEqual("host-a", record.Host);
    }

    [TestMethod]
    public async Task UpdateAsync_SyncHeld_NotAcknowledgedUntilSyncCompletes()
    {
        using var sync = new GatedStorageSync();
        using var fixture = new StorageFixture(sync);
        await fixture.AddHostAsync("host-a");
        Instance instance = await fixture.CreateInstanceAsync();
        long? revisionWhenSyncBegan = null;
        sync.OnSync = () => revisionWhenSyncBegan ??= fixture.Database.Instances.FindById(instance.Id).Revision;
        sync.ResetStarted();
        sync.Close();
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);

        Task<Instance> write = Task.Run(() => fixture.Instances(instance.Host).UpdateAsync(
            new InstanceUpdate { InstanceId = instance.Id, ExpectedTaskState = TaskState.Scheduling, TaskState = TaskState.Spawning },
            cts.Token));
        await sync.Started.WaitAsync(cts.Token);

        Assert.AreEqual(instance.Revision + 1, revisionWhenSyncBegan);
        Assert.IsFalse(write.IsCompleted);
        sync.Open();
        Assert.AreEqual(TaskState.Spawning, (await write.WaitAsync(cts.Token)).TaskState);
    }

    [TestMethod]
    public async Task WaitForDurableAsync_ConcurrentWritesDuringHeldSync_ShareFewerSyncs()
    {
        using var sync = new GatedStorageSync();
        using var fixture = new StorageFixture(sync);
        sync.Close();
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        const int Writers = 8;

        Task first = Task.Run(() => fixture.Services("host-0").RegisterAsync(new ServiceRegistration { Binary = "b", Version = "1" }, cts.Token));
        await sync.Started.WaitAsync(cts.Token);
        Task[] rest = Enumerable.Range(1, Writers)
            .Select(i => Task.Run(() => fixture.Services($"host-{i}").RegisterAsync(new ServiceRegistration { Binary = "b", Version = "1" }, cts.Token)))
            .ToArray();

        // Every writer has committed and joined the batch waiting behind the held sync.
        Assert.IsTrue(SpinWait.SpinUntil(() => fixture.Database.SyncWaitCount == Writers + 1, StorageFixture.Timeout));
        Assert.IsFalse(rest.Any(t => t.IsCompleted));
        sync.Open();
        await Task.WhenAll(rest.Append(first)).WaitAsync(cts.Token);

        Assert.AreEqual(2, sync.Count, "The held sync and one shared sync for the other writers.");
    }

    [TestMethod]
    public async Task RegisterAsync_SyncFails_ThrowsStorageFailure()
    {
        using var sync = new GatedStorageSync { Failure = new IOException("disk on fire") };
        using var fixture = new StorageFixture(sync);
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);

        var ex = await Assert.ThrowsExactlyAsync<StorageFailureException>(() =>
            fixture.Services("host-a").RegisterAsync(new ServiceRegistration { Binary = "b", Version = "1" }, cts.Token));

        StringAssert.Contains(ex.Message, "disk on fire");
        sync.Failure = null;
    }
}
