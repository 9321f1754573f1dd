using Conductor.Abstractions;
using Conductor.Abstractions.Compute;
using Conductor.Host.Storage;

namespace Conductor.Host.Tests.Storage;

[TestClass]
public sealed class RequestLedgerTests
{
    [TestMethod]
    public async Task UpdateAsync_RetriedAfterALaterChange_ReturnsOriginalOutcomeAndAppliesOnce()
    {
        using var fixture = new StorageFixture();
        await fixture.AddHostAsync("host-a");
        Instance created = await fixture.CreateInstanceAsync();
        IInstanceRepository instances = fixture.Instances("host-a");
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        var spawn = new InstanceUpdate { InstanceId = created.Id, ExpectedTaskState = TaskState.Scheduling, TaskState = TaskState.Spawning };
        Instance spawning = await instances.UpdateAsync(spawn, cts.Token);
        Instance active = await instances.UpdateAsync(
            new InstanceUpdate { InstanceId = created.Id, ExpectedTaskState = TaskState.Spawning, TaskState = TaskState.None, VmState = VmState.Active },
            cts.Token);

        // The reply to the first update was "lost": the caller retries the very same request.
        Instance retried = await instances.UpdateAsync(spawn, cts.Token);

        Assert.AreEqual(spawning, retried, "A retry is answered with the original outcome, not a conflict.");
        Assert.AreEqual(active, await instances.GetAsync(created.Id, cts.Token), "The retry changed nothing.");
    }

    [TestMethod]
    public async Task ReportAsync_RetriedAfterANewerReport_DoesNotOverwriteIt()
    {
        using var fixture = new StorageFixture();
        IComputeNodeRepository nodes = fixture.Nodes("host-a");
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        var first = new ComputeNodeReport { VcpusTotal = 8, MemoryMbTotal = 1024, DiskGbTotal = 10, VcpusUsed = 1, HypervisorType = "simulated" };
        ComputeNode firstOutcome = await nodes.ReportAsync(first, cts.Token);
        ComputeNode newer = await nodes.ReportAsync(first with { VcpusUsed = 5, RequestId = Guid.NewGuid() }, cts.Token);

        ComputeNode retried = await nodes.ReportAsync(first, cts.Token);

        Assert.AreEqual(firstOutcome, retried);
        Assert.AreEqual(newer, await nodes.GetAsync(cts.Token), "The newer report is still the stored one.");
    }

    [TestMethod]
    public async Task UpdateAsync_RequestIdReusedForDifferentContent_ConflictNamingTheId()
    {
        using var fixture = new StorageFixture();
        await fixture.AddHostAsync("host-a");
        Instance created = await fixture.CreateInstanceAsync();
        IInstanceRepository instances = fixture.Instances("host-a");
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        var spawn = new InstanceUpdate { InstanceId = created.Id, ExpectedTaskState = TaskState.Scheduling, TaskState = TaskState.Spawning };
        await instances.UpdateAsync(spawn, cts.Token);

        ConflictException error = await Assert.ThrowsExactlyAsync<ConflictException>(
            () => instances.UpdateAsync(spawn with { TaskState = TaskState.Deleting }, cts.Token));

        StringAssert.Contains(error.Message, $"Request id {spawn.RequestId} was already used for a different request");
        Assert.AreEqual(TaskState.Spawning, (await instances.GetAsync(created.Id, cts.Token)).TaskState);
    }

    [TestMethod]
    public async Task UpdateAsync_RefusedWrite_RecordsNothingSoTheSameRequestCanApplyLater()
    {
        using var fixture = new StorageFixture();
        await fixture.AddHostAsync("host-a");
        Instance created = await fixture.CreateInstanceAsync();
        IInstanceRepository instances = fixture.Instances("host-a");
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        var activate = new InstanceUpdate { InstanceId = created.Id, ExpectedTaskState = TaskState.Spawning, TaskState = TaskState.None };
        await Assert.ThrowsExactlyAsync<ConflictException>(() => instances.UpdateAsync(activate, cts.Token));
        await instances.UpdateAsync(new InstanceUpdate { InstanceId = created.Id, ExpectedTaskState = TaskState.Scheduling, TaskState = TaskState.Spawning }, cts.Token);

        Instance applied = await instances.UpdateAsync(activate, cts.Token);

        Assert.AreEqual(TaskState.None, applied.TaskState);
    }

    [TestMethod]
    public async Task UpdateAsync_AnotherHostReusesTheRequest_AnsweredAsMissing()
    {
        using var fixture = new StorageFixture();
        await fixture.AddHostAsync("host-a");
        Instance created = await fixture.CreateInstanceAsync();
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        var spawn = new InstanceUpdate { InstanceId = created.Id, ExpectedTaskState = TaskState.Scheduling, TaskState = TaskState.Spawning };
        await fixture.Instances("host-a").UpdateAsync(spawn, cts.Token);

        await Assert.ThrowsExactlyAsync<NotFoundException>(() => fixture.Instances("host-b").UpdateAsync(spawn, cts.Token));
    }

    [TestMethod]
    public async Task Prune_EntriesAppliedBeforeTheCutoff_AreForgottenAndLaterOnesKept()
    {
        using var fixture = new StorageFixture();
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        IServiceRepository services = fixture.Services("host-a");
        var old = new ServiceRegistration { Binary = "compute-host", Version = "1.0" };
        await services.RegisterAsync(old, cts.Token);
        DateTime cutoff = DateTime.UtcNow.AddSeconds(1);
        var recent = new ServiceRegistration { Binary = "compute-host", Version = "1.1" };
        WriteKey recentKey = WriteKey.For(recent, "services.Register", new TestCaller("host-a"));

        int pruned = fixture.Database.Ledger.Prune(cutoff);
        await services.RegisterAsync(recent, cts.Token);

        Assert.AreEqual(1, pruned);
        Assert.IsFalse(fixture.Database.Ledger.TryReplay(WriteKey.For(old, "services.Register", new TestCaller("host-a")), out ServiceRecord _));
        Assert.IsTrue(fixture.Database.Ledger.TryReplay(recentKey, out ServiceRecord kept));
        Assert.AreEqual("1.1", kept.Version);
    }

    [TestMethod]
    public async Task Housekeeping_PrunesOnlyAfterARetentionOfUptimeAndOnlyEntriesOlderThanIt()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 13, 0, 0, TimeSpan.Zero));
        var settings = new StorageSettings { Time = time, RequestLedgerRetention = TimeSpan.FromHours(1), RequestLedgerPruneInterval = TimeSpan.FromSeconds(10) };
        using var fixture = new StorageFixture(time: time, settings: settings);
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        IComputeNodeRepository nodes = fixture.Nodes("host-a");
        var caller = new TestCaller("host-a");
        ComputeNodeReport Report(int used) => new() { VcpusTotal = 8, MemoryMbTotal = 1024, DiskGbTotal = 10, VcpusUsed = used, HypervisorType = "simulated" };
        bool Known(ComputeNodeReport report) => fixture.Database.Ledger.TryReplay(WriteKey.For(report, "nodes.Report", caller), out ComputeNode _);

        ComputeNodeReport first = Report(1);
        await nodes.ReportAsync(first, cts.Token);
        time.Advance(TimeSpan.FromMinutes(90));

        // Up for 90 minutes: housekeeping (which group commit runs after syncs) may prune now.
        ComputeNodeReport second = Report(2);
        await nodes.ReportAsync(second, cts.Token);
        fixture.Database.Housekeeping();

        Assert.IsFalse(Known(first), "An entry older than the retention is pruned once the conductor has been up that long.");
        Assert.IsTrue(Known(second), "A recent entry is kept.");
    }

    [TestMethod]
    public async Task Housekeeping_BeforeARetentionOfUptime_KeepsOldEntriesForRetriesAcrossAnOutage()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 13, 0, 0, TimeSpan.Zero));
        var settings = new StorageSettings { Time = time, RequestLedgerRetention = TimeSpan.FromHours(1), RequestLedgerPruneInterval = TimeSpan.FromSeconds(10) };
        string directory = Path.Combine(Path.GetTempPath(), "conductor-tests", Guid.NewGuid().ToString("N"));
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        ComputeNodeReport first = new() { VcpusTotal = 8, MemoryMbTotal = 1024, DiskGbTotal = 10, HypervisorType = "simulated" };
        ComputeNode firstOutcome;
        using (var before = new StorageFixture(time: time, dataDirectory: directory, settings: settings))
        {
            firstOutcome = await before.Nodes("host-a").ReportAsync(first, cts.Token);
            before.KeepDirectory = true;
        }

        // Down for two hours, then up again for half an hour: the entry is older than the retention, but the restarted
        // conductor has not been up for a whole retention period yet.
        time.Advance(TimeSpan.FromHours(2));
        using var after = new StorageFixture(time: time, dataDirectory: directory, settings: settings);
        time.Advance(TimeSpan.FromMinutes(30));
        IComputeNodeRepository nodes = after.Nodes("host-a");
        await nodes.ReportAsync(first with { VcpusUsed = 4, RequestId = Guid.NewGuid() }, cts.Token);
        after.Database.Housekeeping();

        Assert.AreEqual(firstOutcome, await nodes.ReportAsync(first, cts.Token), "The retry is still answered from the ledger.");
    }

    [TestMethod]
    public async Task Prune_IdsThatDoNotSortByTime_AreStillPrunedAfterTheRetentionAndRecentOnesKept()
    {
        var start = new DateTimeOffset(2026, 11, 25, 13, 0, 0, TimeSpan.Zero);
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(start);
        var settings = new StorageSettings { Time = time, RequestLedgerRetention = TimeSpan.FromHours(1), RequestLedgerPruneInterval = TimeSpan.FromDays(1) };
        using var fixture = new StorageFixture(time: time, settings: settings);
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        IComputeNodeRepository nodes = fixture.Nodes("host-a");
        var caller = new TestCaller("host-a");
        ComputeNodeReport Report(int used, Guid id) => new() { VcpusTotal = 8, MemoryMbTotal = 1024, DiskGbTotal = 10, VcpusUsed = used, HypervisorType = "simulated", RequestId = id };
        bool Known(ComputeNodeReport report) => fixture.Database.Ledger.TryReplay(WriteKey.For(report, "nodes.Report", caller), out ComputeNode _);

        // An older client's random id, and a time-ordered id from a clock a year ahead: neither sorts by when it was applied.
        ComputeNodeReport random = Report(1, Guid.NewGuid());
        ComputeNodeReport ahead = Report(2, Guid.CreateVersion7(start.AddDays(365)));
        await nodes.ReportAsync(random, cts.Token);
        await nodes.ReportAsync(ahead, cts.Token);
        time.Advance(TimeSpan.FromMinutes(90));

        // Applied just now by a client whose clock is two hours behind: its id sorts among old entries.
        ComputeNodeReport behind = Report(3, Guid.CreateVersion7(time.GetUtcNow().AddHours(-2)));
        ComputeNodeReport current = Report(4, Guid.CreateVersion7(time.GetUtcNow()));
        await nodes.ReportAsync(behind, cts.Token);
        await nodes.ReportAsync(current, cts.Token);

        // The writes' housekeeping may already have pruned (the conductor has been up longer than the retention).
        DateTime now = time.GetUtcNow().UtcDateTime;
        fixture.Database.Ledger.Prune(now - settings.RequestLedgerRetention, now);

        Assert.IsFalse(Known(random), "A random id older than the retention is pruned.");
        Assert.IsFalse(Known(ahead), "An id from a clock far ahead is pruned once it was applied longer ago than the retention.");
        Assert.IsTrue(Known(behind), "An entry applied within the retention is kept, however old its id looks.");
        Assert.IsTrue(Known(current), "A recent entry is kept.");
    }

    [TestMethod]
    public void TimeFloor_SortsBelowTimeOrderedIdsFromThatMillisecondOnAndAboveEarlierOnes()
    {
        var at = new DateTimeOffset(2026, 11, 25, 13, 0, 0, 123, TimeSpan.Zero);
        Guid floor = RequestLedger.TimeFloor(at.UtcDateTime);

        Assert.IsLessThanOrEqualTo(0, floor.CompareTo(Guid.CreateVersion7(at)));
        Assert.IsGreaterThan(0, floor.CompareTo(Guid.CreateVersion7(at.AddMilliseconds(-1))));
    }
}
