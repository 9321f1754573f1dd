using Conductor.Abstractions;
using Conductor.Abstractions.Compute;
using Conductor.Host.Storage;
using Conductor.Host.Storage.Documents;

namespace Conductor.Host.Tests.Storage;

/// <summary>
/// A host's instance writes are remembered in the instance's own document, not in the request ledger: a retry is
/// still answered with its original outcome, and an update commits no ledger entry.
/// </summary>
[TestClass]
public sealed class InstanceRecentRequestsTests
{
    [TestMethod]
    public async Task UpdateAsync_Applied_RemembersTheRequestInTheInstanceAndWritesNoLedgerEntry()
    {
        using var fixture = new StorageFixture();
        await fixture.AddHostAsync("host-a");
        Instance created = await fixture.CreateInstanceAsync();
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        int ledgerBefore = LedgerCount(fixture);
        var spawn = new InstanceUpdate { InstanceId = created.Id, ExpectedTaskState = TaskState.Scheduling, TaskState = TaskState.Spawning };

        Instance spawning = await fixture.Instances("host-a").UpdateAsync(spawn, cts.Token);
        Instance retried = await fixture.Instances("host-a").UpdateAsync(spawn, cts.Token);

        Assert.AreEqual(ledgerBefore, LedgerCount(fixture), "An instance update must not add a ledger entry.");
        Assert.AreEqual(spawning, retried);
        AppliedRequestEntry entry = AppliedRequestEntry.Parse(fixture.Database.Instances.FindById(created.Id).RecentRequests!.Single());
        Assert.AreEqual(spawn.RequestId, entry.Id);
        Assert.AreEqual(spawning.Revision, entry.Revision);
        Assert.AreEqual(WriteKey.CallerKey(new TestCaller("host-a")), entry.Caller);
        Assert.AreEqual(spawning.UpdatedAtUtc, entry.UpdatedAtUtc);
    }

    [TestMethod]
    public async Task MarkDeletedAsync_RetriedAfterTheReplyWasLost_AnsweredWithTheOriginalOutcome()
    {
        using var fixture = new StorageFixture();
        await fixture.AddHostAsync("host-a");
        Instance created = await fixture.CreateInstanceAsync();
        IInstanceRepository instances = fixture.Instances("host-a");
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        var deletion = new InstanceDeletion { InstanceId = created.Id, ExpectedTaskState = TaskState.Scheduling };

        Instance deleted = await instances.MarkDeletedAsync(deletion, cts.Token);
        Instance retried = await instances.MarkDeletedAsync(deletion, cts.Token);

        Assert.AreEqual(VmState.Deleted, deleted.VmState);
        Assert.AreEqual(deleted, retried);
        Assert.AreEqual(deleted.Revision, fixture.Database.Instances.FindById(created.Id).Revision);
    }

    [TestMethod]
    public async Task UpdateAsync_ManyChanges_RemembersOnlyTheMostRecentRequestsAndAnOlderRetryIsCheckedAsNew()
    {
        using var fixture = new StorageFixture();
        await fixture.AddHostAsync("host-a");
        Instance created = await fixture.CreateInstanceAsync();
        IInstanceRepository instances = fixture.Instances("host-a");
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        var first = new InstanceUpdate { InstanceId = created.Id, ExpectedTaskState = TaskState.Scheduling, TaskState = TaskState.Spawning };
        await instances.UpdateAsync(first, cts.Token);
        TaskState state = TaskState.Spawning;
        for (int i = 0; i < InstanceDocument.MaxRecentRequests; i++)
        {
            TaskState next = state == TaskState.Spawning ? TaskState.None : TaskState.Spawning;
            await instances.UpdateAsync(new InstanceUpdate { InstanceId = created.Id, ExpectedTaskState = state, TaskState = next }, cts.Token);
            state = next;
        }

        InstanceDocument stored = fixture.Database.Instances.FindById(created.Id);
        Assert.HasCount(InstanceDocument.MaxRecentRequests, stored.RecentRequests!);
        Assert.IsFalse(stored.RecentRequests!.Any(e => AppliedRequestEntry.IsFor(e, first.RequestId)), "The oldest request is forgotten.");

        // Forgotten, the retry runs its own compare-and-swap, which the later changes make fail: never applied twice.
        await Assert.ThrowsExactlyAsync<ConflictException>(() => instances.UpdateAsync(first, cts.Token));
        Assert.AreEqual(stored.Revision, fixture.Database.Instances.FindById(created.Id).Revision);
    }

    [TestMethod]
    public async Task UpdateAsync_RequestRecordedInTheLedgerByAnEarlierConductor_AnsweredFromTheLedger()
    {
        using var fixture = new StorageFixture();
        await fixture.AddHostAsync("host-a");
        Instance created = await fixture.CreateInstanceAsync();
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        var spawn = new InstanceUpdate { InstanceId = created.Id, ExpectedTaskState = TaskState.Scheduling, TaskState = TaskState.Spawning };
        Instance recorded = created with { TaskState = TaskState.Spawning, Revision = created.Revision + 1 };
        LiteDB.LiteDatabase db = fixture.Database.Database;
        db.BeginTrans();
        fixture.Database.Ledger.Record(WriteKey.For(spawn, "instances.Update", new TestCaller("host-a")), recorded, DateTime.UtcNow);
        db.Commit();

        Instance retried = await fixture.Instances("host-a").UpdateAsync(spawn, cts.Token);

        Assert.AreEqual(recorded, retried);
        Assert.AreEqual(created.Revision, fixture.Database.Instances.FindById(created.Id).Revision, "Nothing was applied again.");
    }

    private static int LedgerCount(StorageFixture fixture) =>
        fixture.Database.Database.GetCollection<RequestLedgerDocument>(CollectionNames.RequestLedger).Count();
}
