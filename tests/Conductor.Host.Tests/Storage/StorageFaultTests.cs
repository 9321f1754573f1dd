using Conductor.Abstractions;
using Conductor.Abstractions.Compute;
using Conductor.Host.Storage;

namespace Conductor.Host.Tests.Storage;

[TestClass]
public sealed class StorageFaultTests
{
    [TestMethod]
    public async Task Write_DiskFailsDuringCommit_StorageFailureThenReadOnlyWithCommittedDataIntact()
    {
        var streams = new FaultInjectingStreams();
        string directory = Path.Combine(Path.GetTempPath(), "conductor-tests", Guid.NewGuid().ToString("N"));
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        Instance committed;
        using (var fixture = new StorageFixture(dataDirectory: directory, settings: new StorageSettings { Streams = streams }))
        {
            await fixture.AddHostAsync("host-a");
            committed = await fixture.CreateInstanceAsync("kept");
            IInstanceRepository instances = fixture.Instances("host-a");
            streams.FailWrites();

            StorageFailureException failed = await Assert.ThrowsExactlyAsync<StorageFailureException>(() => instances.UpdateAsync(
                new InstanceUpdate { InstanceId = committed.Id, ExpectedTaskState = TaskState.Scheduling, TaskState = TaskState.Spawning }, cts.Token));
            StorageFailureException refused = await Assert.ThrowsExactlyAsync<StorageFailureException>(() => fixture.CreateInstanceAsync("refused"));

            Assert.IsGreaterThan(0, streams.FailedWrites, "The fault was hit by the write, not faked elsewhere.");
            StringAssert.Contains(failed.Message, "No space left on device");
            StringAssert.Contains(failed.Message, "the write was not stored");
            StringAssert.Contains(refused.Message, "is read-only since a storage fault");
            Assert.IsTrue(fixture.Database.IsReadOnly);
            Assert.AreEqual(committed, await instances.GetAsync(committed.Id, cts.Token), "Reads keep working after the fault.");
            Page<Instance> page = await fixture.AdminInstances().ListAsync(new PageRequest { Limit = 10 }, cts.Token);
            Assert.HasCount(1, page.Items);
            await Assert.ThrowsExactlyAsync<StorageFailureException>(() => fixture.Services("host-a").HeartbeatAsync(cts.Token));
            fixture.KeepDirectory = true;
        }

        // Restarted on a healthy disk: everything committed before the fault is there, and writes work again.
        using var restarted = new StorageFixture(dataDirectory: directory);
        Instance reread = await restarted.AdminInstances().GetAsync(committed.Id, cts.Token);
        Assert.AreEqual(committed, reread);
        Instance updated = await restarted.Instances("host-a").UpdateAsync(
            new InstanceUpdate { InstanceId = committed.Id, ExpectedTaskState = TaskState.Scheduling, TaskState = TaskState.Spawning }, cts.Token);
        Assert.AreEqual(TaskState.Spawning, updated.TaskState);
    }

    [TestMethod]
    public async Task Write_SyncFails_StorageFailureThenReadsWorkAndWritesRefused()
    {
        using var sync = new GatedStorageSync();
        using var fixture = new StorageFixture(sync);
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        await fixture.AddHostAsync("host-a");
        sync.Failure = new IOException("Input/output error");

        await Assert.ThrowsExactlyAsync<StorageFailureException>(() => fixture.Services("host-a")
            .RegisterAsync(new ServiceRegistration { Binary = "compute-host", Version = "1.1" }, cts.Token));
        sync.Failure = null;
        StorageFailureException refused = await Assert.ThrowsExactlyAsync<StorageFailureException>(() => fixture.Services("host-a").HeartbeatAsync(cts.Token));

        StringAssert.Contains(refused.Message, "Input/output error");
        Assert.AreEqual("host-a", (await fixture.Services("host-a").GetAsync(cts.Token)).Host, "Reads keep working.");
    }

    [TestMethod]
    public async Task Open_LogLeftByAFaultAndDiskStillFull_ServesReadsRefusesWritesAndKeepsTheLog()
    {
        string directory = Path.Combine(Path.GetTempPath(), "conductor-tests", Guid.NewGuid().ToString("N"));
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        Instance committed;
        var first = new FaultInjectingStreams();
        using (var fixture = new StorageFixture(dataDirectory: directory, settings: new StorageSettings { Streams = first }))
        {
            await fixture.AddHostAsync("host-a");
            committed = await fixture.CreateInstanceAsync("kept");
            first.FailWrites();
            await Assert.ThrowsExactlyAsync<StorageFailureException>(() => fixture.CreateInstanceAsync("refused"));
            fixture.KeepDirectory = true;
        }

        var paths = StoragePaths.For(directory);
        long logBefore = new FileInfo(paths.LogFile).Length;
        Assert.IsGreaterThan(0L, logBefore, "Precondition: after the fault the committed writes are still in the log.");

        // Restarted while the disk is still full: the checkpoint at open fails, so the conductor serves reads only.
        var stillFull = new FaultInjectingStreams();
        stillFull.FailWrites();
        using (var restarted = new StorageFixture(dataDirectory: directory, settings: new StorageSettings { Streams = stillFull }))
        {
            Assert.IsTrue(restarted.Database.IsReadOnly);
            Assert.IsGreaterThan(0, stillFull.FailedWrites, "The open's checkpoint hit the fault.");
            Assert.AreEqual(committed, await restarted.AdminInstances().GetAsync(committed.Id, cts.Token), "Reads keep working.");
            StorageFailureException refused = await Assert.ThrowsExactlyAsync<StorageFailureException>(() => restarted.CreateInstanceAsync("refused-again"));
            StringAssert.Contains(refused.Message, "No space left on device");
            restarted.KeepDirectory = true;
        }

        Assert.AreEqual(logBefore, new FileInfo(paths.LogFile).Length, "The log is left for the next start.");

        // On a healthy disk everything committed is there and writes work again.
        using var healthy = new StorageFixture(dataDirectory: directory);
        Assert.IsFalse(healthy.Database.IsReadOnly);
        Assert.AreEqual(committed, await healthy.AdminInstances().GetAsync(committed.Id, cts.Token));
        await healthy.Services("host-a").HeartbeatAsync(cts.Token);
        Assert.AreEqual("host-a", (await healthy.CreateInstanceAsync("after")).Host);
    }
}
