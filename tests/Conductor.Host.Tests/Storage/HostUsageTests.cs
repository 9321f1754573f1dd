using Conductor.Abstractions;
using Conductor.Abstractions.Admin;
using Conductor.Abstractions.Compute;

namespace Conductor.Host.Tests.Storage;

/// <summary>
/// The scheduler reads hosts and their used capacity from memory (<c>SchedulingHosts</c>, <c>HostUsage</c>): what it
/// sees must match the database after refused writes in a batch, deletions, new node reports and a restart.
/// </summary>
[TestClass]
public sealed class HostUsageTests
{
    private static readonly Flavor s_one = new() { Vcpus = 1, MemoryMb = 1024, DiskGb = 10 };

    [TestMethod]
    public async Task CreateAsync_OneCreateOfABatchRefused_OnlyTheCommittedCreatesUseCapacity()
    {
        using var fixture = new StorageFixture();
        await fixture.AddHostAsync("host-a", vcpus: 4, memoryMb: 8192, diskGb: 100);
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        long requestsBefore = fixture.Database.DurableWaitCount;
        IInstanceAdminRepository admin = fixture.AdminInstances();
        Task<Instance>[] creates;
        using (var blocker = new CommitBlocker(fixture.Database, cts.Token))
        {
            await blocker.Started.WaitAsync(cts.Token);

            // Queued behind the blocked batch, so they commit together: the too-large one rolls the batch back and the
            // others are applied again, each alone.
            Flavor[] flavors = [s_one, s_one, s_one with { Vcpus = 8 }, s_one];
            creates = [.. flavors.Select((flavor, i) => Task.Run(() => admin.CreateAsync(new InstanceCreate { Name = $"vm-{i}", Flavor = flavor }, cts.Token)))];
            Assert.IsTrue(
                SpinWait.SpinUntil(() => fixture.Database.DurableWaitCount - requestsBefore == flavors.Length + 1, StorageFixture.Timeout),
                "Every create must have been queued behind the blocked batch.");
            blocker.Release();
            await blocker.Completion.WaitAsync(cts.Token);
        }

        await Assert.ThrowsExactlyAsync<NoCapacityException>(() => creates[2].WaitAsync(cts.Token));
        foreach (int i in new[] { 0, 1, 3 })
        {
            Assert.AreEqual("host-a", (await creates[i].WaitAsync(cts.Token)).Host);
        }

        // Three of four vCPUs are used: exactly one more fits.
        await fixture.CreateInstanceAsync("fourth", s_one);
        await Assert.ThrowsExactlyAsync<NoCapacityException>(() => fixture.CreateInstanceAsync("fifth", s_one));
    }

    [TestMethod]
    public async Task MarkDeletedAsync_HostFull_FreesItsCapacityForTheNextCreate()
    {
        using var fixture = new StorageFixture();
        await fixture.AddHostAsync("host-a", vcpus: 2, memoryMb: 8192, diskGb: 100);
        Instance first = await fixture.CreateInstanceAsync("first", s_one);
        await fixture.CreateInstanceAsync("second", s_one);
        await Assert.ThrowsExactlyAsync<NoCapacityException>(() => fixture.CreateInstanceAsync("refused", s_one));
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);

        // Deleting (the admin's request) still holds the capacity; the host's MarkDeleted releases it.
        await fixture.AdminInstances().DeleteAsync(new InstanceDeleteRequest { InstanceId = first.Id }, cts.Token);
        await Assert.ThrowsExactlyAsync<NoCapacityException>(() => fixture.CreateInstanceAsync("still-refused", s_one));
        await fixture.Instances("host-a").MarkDeletedAsync(new InstanceDeletion { InstanceId = first.Id, ExpectedTaskState = TaskState.Deleting }, cts.Token);

        Assert.AreEqual("host-a", (await fixture.CreateInstanceAsync("third", s_one)).Host);
        await Assert.ThrowsExactlyAsync<NoCapacityException>(() => fixture.CreateInstanceAsync("refused-again", s_one));
    }

    [TestMethod]
    public async Task CreateAsync_AfterRestart_CountsTheInstancesAlreadyPlaced()
    {
        string directory;
        using (var before = new StorageFixture { KeepDirectory = true })
        {
            directory = before.DataDirectory;
            await before.AddHostAsync("host-a", vcpus: 3, memoryMb: 8192, diskGb: 100);
            await before.CreateInstanceAsync("first", s_one);
            await before.CreateInstanceAsync("second", s_one);
        }

        using var after = new StorageFixture(dataDirectory: directory);
        await after.Services("host-a").HeartbeatAsync(CancellationToken.None);

        Assert.AreEqual("host-a", (await after.CreateInstanceAsync("third", s_one)).Host);
        await Assert.ThrowsExactlyAsync<NoCapacityException>(() => after.CreateInstanceAsync("fourth", s_one));
    }

    [TestMethod]
    public async Task ReportAsync_NewTotals_TheNextCreateIsPlacedAgainstThem()
    {
        using var fixture = new StorageFixture();
        await fixture.AddHostAsync("host-a", vcpus: 1, memoryMb: 8192, diskGb: 100);
        await fixture.CreateInstanceAsync("first", s_one);
        await Assert.ThrowsExactlyAsync<NoCapacityException>(() => fixture.CreateInstanceAsync("refused", s_one));

        await fixture.Nodes("host-a").ReportAsync(new ComputeNodeReport { VcpusTotal = 2, MemoryMbTotal = 8192, DiskGbTotal = 100, HypervisorType = "simulated" }, CancellationToken.None);

        Assert.AreEqual("host-a", (await fixture.CreateInstanceAsync("second", s_one)).Host);
    }

    [TestMethod]
    public async Task CreateAsync_InTheBatchOfAHostsFirstReport_PlacedOnThatHost()
    {
        using var fixture = new StorageFixture();
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        await fixture.Services("host-new").RegisterAsync(new ServiceRegistration { Binary = "compute-host", Version = "1.0" }, cts.Token);
        long requestsBefore = fixture.Database.DurableWaitCount;
        Task<ComputeNode> report;
        Task<Instance> create;
        using (var blocker = new CommitBlocker(fixture.Database, cts.Token))
        {
            await blocker.Started.WaitAsync(cts.Token);
            report = Task.Run(() => fixture.Nodes("host-new").ReportAsync(new ComputeNodeReport { VcpusTotal = 2, MemoryMbTotal = 8192, DiskGbTotal = 100, HypervisorType = "simulated" }, cts.Token));
            Assert.IsTrue(SpinWait.SpinUntil(() => fixture.Database.DurableWaitCount - requestsBefore == 2, StorageFixture.Timeout), "The report must be queued first.");
            create = Task.Run(() => fixture.CreateInstanceAsync("vm", s_one));
            Assert.IsTrue(SpinWait.SpinUntil(() => fixture.Database.DurableWaitCount - requestsBefore == 3, StorageFixture.Timeout), "The create must be queued behind the report.");
            blocker.Release();
            await blocker.Completion.WaitAsync(cts.Token);
        }

        await report.WaitAsync(cts.Token);
        Assert.AreEqual("host-new", (await create.WaitAsync(cts.Token)).Host, "A create sees the node reported earlier in its own batch.");
    }
}
