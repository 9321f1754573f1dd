using Conductor.Abstractions;
using Conductor.Abstractions.Compute;
using Conductor.Host.Storage;
using Conductor.Host.Storage.Documents;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Conductor.Host.Tests.Storage;

/// <summary>
/// The storage writer finds instances it wrote recently in memory (<see cref="InstanceWriteCache"/>) instead of
/// querying LiteDB: what it finds must always be what the database has committed, after refused writes, batches
/// undone and applied write by write, and with the cache full or off.
/// </summary>
[TestClass]
public sealed class InstanceWriteCacheTests
{
    private static readonly Func<Guid, InstanceDocument?> s_noRead = id => throw new AssertFailedException($"Instance {id} should have been found in memory, not read from the database.");

    [TestMethod]
    public void Find_CommittedInstance_AnswersFromMemoryWithACopyTheCallerMayChange()
    {
        var cache = new InstanceWriteCache(capacity: 4);
        InstanceDocument stored = Document(TaskState.Scheduling);
        int reads = 0;

        InstanceDocument first = cache.Find(stored.Id, _ => { reads++; return stored.Copy(); })!;
        cache.Commit();
        first.TaskState = TaskState.Spawning;
        first.RecentRequests!.Add("changed by a write that was then refused");

        InstanceDocument again = cache.Find(stored.Id, s_noRead)!;
        Assert.AreEqual(1, reads);
        Assert.AreEqual(TaskState.Scheduling, again.TaskState, "A change to a copy handed out must not reach the cache.");
        Assert.AreEqual(1, again.RecentRequests!.Count);
        Assert.AreEqual(1, cache.Hits);
        Assert.AreEqual(1, cache.Misses);
    }

    [TestMethod]
    public void Discard_RolledBackWrite_IsForgottenAndTheCommittedDocumentFoundAgain()
    {
        var cache = new InstanceWriteCache(capacity: 4);
        InstanceDocument stored = Document(TaskState.Scheduling);
        cache.Written(stored);
        cache.Commit();

        InstanceDocument changed = cache.Find(stored.Id, s_noRead)!;
        changed.TaskState = TaskState.Spawning;
        changed.Revision++;
        cache.Written(changed);
        Assert.AreEqual(TaskState.Spawning, cache.Find(stored.Id, s_noRead)!.TaskState, "The transaction sees its own write.");

        cache.Discard();
        InstanceDocument after = cache.Find(stored.Id, s_noRead)!;
        Assert.AreEqual(TaskState.Scheduling, after.TaskState);
        Assert.AreEqual(stored.Revision, after.Revision);
    }

    [TestMethod]
    public void Discard_InstanceOnlyReadByTheRolledBackTransaction_IsReadFromTheDatabaseAgain()
    {
        var cache = new InstanceWriteCache(capacity: 4);
        InstanceDocument stored = Document(TaskState.Scheduling);
        int reads = 0;
        cache.Find(stored.Id, _ => { reads++; return stored.Copy(); });
        cache.Discard();

        cache.Find(stored.Id, _ => { reads++; return stored.Copy(); });
        Assert.AreEqual(2, reads, "What a rolled-back transaction read may have included its own uncommitted writes, so it is not kept.");
    }

    [TestMethod]
    public void Find_MissingInstance_IsNotRemembered()
    {
        var cache = new InstanceWriteCache(capacity: 4);
        int reads = 0;
        Guid id = Guid.NewGuid();
        Assert.IsNull(cache.Find(id, _ => { reads++; return null; }));
        cache.Commit();
        Assert.IsNull(cache.Find(id, _ => { reads++; return null; }));
        Assert.AreEqual(2, reads, "An instance created later must not be shadowed by a remembered absence.");
        Assert.AreEqual(0, cache.Count);
    }

    [TestMethod]
    public void Commit_MoreInstancesThanTheCapacity_HoldsTwoGenerationsAtMostAndKeepsTheRecentOnes()
    {
        const int Capacity = 8;
        var cache = new InstanceWriteCache(Capacity);
        InstanceDocument kept = Document(TaskState.None);
        var all = new List<InstanceDocument> { kept };
        cache.Written(kept);
        cache.Commit();
        for (int i = 0; i < 10 * Capacity; i++)
        {
            InstanceDocument other = Document(TaskState.None);
            all.Add(other);
            cache.Written(other);
            cache.Commit();
            Assert.IsTrue(cache.Count <= 2 * Capacity, $"{cache.Count} documents held with a capacity of {Capacity} per generation.");

            // Written again every few writes: it stays in memory however many other instances pass through.
            if (i % (Capacity / 2) == 0)
            {
                cache.Find(kept.Id, s_noRead);
                cache.Commit();
            }
        }

        Assert.IsNotNull(cache.Find(kept.Id, s_noRead));
        Assert.IsNotNull(cache.Find(all[^1].Id, s_noRead));
        int reads = 0;
        Assert.IsNotNull(cache.Find(all[1].Id, id => { reads++; return all[1].Copy(); }));
        Assert.AreEqual(1, reads, "An instance not written for many generations must have been dropped and read again.");
    }

    [TestMethod]
    public void CapacityZero_HoldsNothing()
    {
        var cache = new InstanceWriteCache(capacity: 0);
        InstanceDocument stored = Document(TaskState.None);
        int reads = 0;
        cache.Written(stored);
        cache.Commit();
        cache.Find(stored.Id, _ => { reads++; return stored.Copy(); });
        cache.Commit();
        cache.Find(stored.Id, _ => { reads++; return stored.Copy(); });
        Assert.AreEqual(2, reads);
        Assert.AreEqual(0, cache.Count);
    }

    [TestMethod]
    public async Task UpdateAsync_ManyUpdates_TheWriterFindsTheInstanceInMemoryAsTheDatabaseHasIt()
    {
        using var fixture = new StorageFixture();
        await fixture.AddHostAsync("host-a");
        Instance instance = await fixture.CreateInstanceAsync();
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        IInstanceRepository repository = fixture.Instances("host-a");
        long missesBefore = fixture.Database.InstanceCache.Misses;

        TaskState state = TaskState.Scheduling;
        for (int i = 0; i < 6; i++)
        {
            TaskState next = i % 2 == 0 ? TaskState.Spawning : TaskState.Scheduling;
            await repository.UpdateAsync(
                new InstanceUpdate { InstanceId = instance.Id, ExpectedTaskState = state, TaskState = next, RequestId = Guid.NewGuid(), LaunchedAtUtc = DateTime.UtcNow },
                cts.Token);
            state = next;
        }

        await repository.MarkDeletedAsync(new InstanceDeletion { InstanceId = instance.Id, ExpectedTaskState = state, RequestId = Guid.NewGuid() }, cts.Token);
        Assert.AreEqual(missesBefore, fixture.Database.InstanceCache.Misses, "The create put the instance in memory: no update should have queried it.");
        AssertCachedAsStored(fixture.Database, instance.Id);
    }

    [TestMethod]
    public async Task UpdateAsync_BatchUndoneByARefusal_EveryLaterWriteSeesOnlyWhatWasCommitted()
    {
        using var fixture = new StorageFixture();
        await fixture.AddHostAsync("host-a");
        Instance instance = await fixture.CreateInstanceAsync();
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        IInstanceRepository repository = fixture.Instances("host-a");

        // Queued behind a blocked batch so that they commit as one: the first changes the instance, the second
        // expects a state it never has and is refused, which undoes the batch; each is then applied alone. Were what
        // the undone batch wrote kept, the first update would find itself already applied (and be answered as a
        // replay) without ever being committed.
        long requestsBefore = fixture.Database.DurableWaitCount;
        Task<Instance> applied;
        Task<Instance> refused;
        using (var blocker = new CommitBlocker(fixture.Database, cts.Token))
        {
            await blocker.Started.WaitAsync(cts.Token);
            applied = Task.Run(() => repository.UpdateAsync(new InstanceUpdate { InstanceId = instance.Id, ExpectedTaskState = TaskState.Scheduling, TaskState = TaskState.Spawning }, cts.Token));
            Assert.IsTrue(SpinWait.SpinUntil(() => fixture.Database.DurableWaitCount - requestsBefore == 2, StorageFixture.Timeout));
            refused = Task.Run(() => repository.UpdateAsync(new InstanceUpdate { InstanceId = instance.Id, ExpectedTaskState = TaskState.Deleting, TaskState = TaskState.None }, cts.Token));
            Assert.IsTrue(SpinWait.SpinUntil(() => fixture.Database.DurableWaitCount - requestsBefore == 3, StorageFixture.Timeout), "Both updates must have been queued behind the blocked batch.");
            blocker.Release();
            await blocker.Completion.WaitAsync(cts.Token);
        }

        Instance first = await applied.WaitAsync(cts.Token);
        Assert.AreEqual(instance.Revision + 1, first.Revision);
        await Assert.ThrowsExactlyAsync<ConflictException>(() => refused.WaitAsync(cts.Token));
        Assert.AreEqual(first, await repository.GetAsync(instance.Id, cts.Token), "The acknowledged update must be in the database.");
        AssertCachedAsStored(fixture.Database, instance.Id);

        Instance next = await repository.UpdateAsync(new InstanceUpdate { InstanceId = instance.Id, ExpectedTaskState = TaskState.Spawning, TaskState = TaskState.None }, cts.Token);
        Assert.AreEqual(instance.Revision + 2, next.Revision);
        Assert.AreEqual(next, await repository.GetAsync(instance.Id, cts.Token));
        AssertCachedAsStored(fixture.Database, instance.Id);
    }

    [TestMethod]
    public async Task UpdateAsync_ConcurrentConflictingWritersWithATinyCache_EveryAcknowledgedUpdateAppliedOnceAndReadsMatchTheDatabase()
    {
        // Eight writers race compare-and-swap updates over six instances through a cache of two per generation, so
        // batches mix applied and refused writes (undone, then applied write by write), instances keep leaving and
        // re-entering the cache, and some requests are sent twice as a retry after a lost reply would be. Whatever the
        // interleaving: each instance's revision grew by exactly its acknowledged updates, a retry the instance still
        // remembered was answered as first applied, and the writer's copy and what readers get are exactly what was
        // committed.
        using var fixture = new StorageFixture(settings: new StorageSettings { InstanceWriteCacheSize = 2 });
        await fixture.AddHostAsync("host-a");
        var created = new Instance[6];
        for (int i = 0; i < created.Length; i++)
        {
            created[i] = await fixture.CreateInstanceAsync($"vm-{i}");
        }

        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        IInstanceRepository repository = fixture.Instances("host-a");
        int[] acknowledged = new int[created.Length];
        int refusals = 0;
        int replays = 0;
        // A retry, as after a lost reply. While the instance still remembers the request (it remembers its last
        // MaxRecentRequests), the retry must be answered as first applied. A real host changes an instance one request
        // at a time, so it always retries within that window. Here, other writers may have changed the instance that
        // many times meanwhile; then the retry is a new request like any other, and is applied or refused by its
        // expected state.
        async Task RetryAsync(InstanceUpdate update, Instance applied, int which, CancellationToken ct)
        {
            try
            {
                Instance again = await repository.UpdateAsync(update, ct);
                if (again.Equals(applied))
                {
                    Interlocked.Increment(ref replays);
                    return;
                }

                Interlocked.Increment(ref acknowledged[which]);
                Assert.IsGreaterThanOrEqualTo(InstanceDocument.MaxRecentRequests, again.Revision - 1 - applied.Revision, "A retry the instance still remembered was applied again.");
            }
            catch (ConflictException)
            {
                Instance now = await repository.GetAsync(update.InstanceId, ct);
                Assert.IsGreaterThanOrEqualTo(InstanceDocument.MaxRecentRequests, now.Revision - applied.Revision, "A retry the instance still remembered was refused instead of answered.");
            }
        }

        await Parallel.ForAsync(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cts.Token }, async (writer, ct) =>
        {
            var random = new Random(writer);
            for (int round = 0; round < 40; round++)
            {
                int which = random.Next(created.Length);
                Instance seen = await repository.GetAsync(created[which].Id, ct);
                var update = new InstanceUpdate
                {
                    InstanceId = seen.Id,
                    ExpectedTaskState = seen.TaskState,
                    TaskState = seen.TaskState == TaskState.Spawning ? TaskState.Scheduling : TaskState.Spawning,
                };
                Instance applied;
                try
                {
                    applied = await repository.UpdateAsync(update, ct);
                }
                catch (ConflictException)
                {
                    Interlocked.Increment(ref refusals);
                    continue;
                }

                Interlocked.Increment(ref acknowledged[which]);
                Assert.AreEqual(update.TaskState, applied.TaskState);
                if (random.Next(4) == 0)
                {
                    await RetryAsync(update, applied, which, ct);
                }
            }
        });

        Assert.IsGreaterThan(0, refusals, "The writers must have raced: without refusals the batches were never undone.");
        Assert.IsGreaterThan(0, replays);
        for (int i = 0; i < created.Length; i++)
        {
            InstanceDocument stored = fixture.Database.Instances.FindById(created[i].Id);
            Assert.AreEqual(created[i].Revision + acknowledged[i], stored.Revision, $"Instance {i}: every acknowledged update, and only those, must have been applied, once.");
            Assert.AreEqual(stored.ToInstance(), await repository.GetAsync(created[i].Id, cts.Token));
            if (fixture.Database.InstanceCache.TryGetCommitted(created[i].Id, out Instance? published))
            {
                Assert.AreEqual(stored.ToInstance(), published, "Readers must be answered exactly what the database has committed.");
                AssertCachedAsStored(fixture.Database, created[i].Id);
            }
        }
    }

    [TestMethod]
    public async Task InstanceWriteCacheSize_FromConfiguration_SizesTheCacheAndZeroTurnsItOff()
    {
        string directory = Path.Combine(Path.GetTempPath(), "conductor-tests", Guid.NewGuid().ToString("N"));
        try
        {
            IOptions<ConductorOptions> options = Options.Create(new ConductorOptions { DataDirectory = directory, InstanceWriteCacheSize = 0 });
            using var database = new LiteDbConductorDatabase(options, new FileStorageSync(StoragePaths.For(directory)), TimeProvider.System, NullLogger<LiteDbConductorDatabase>.Instance);
            Assert.AreEqual(0, database.InstanceCache.Capacity);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        using var fixture = new StorageFixture(settings: new StorageSettings { InstanceWriteCacheSize = 0 });
        await fixture.AddHostAsync("host-a");
        Instance instance = await fixture.CreateInstanceAsync();
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        Instance updated = await fixture.Instances("host-a").UpdateAsync(
            new InstanceUpdate { InstanceId = instance.Id, ExpectedTaskState = TaskState.Scheduling, TaskState = TaskState.Spawning },
            cts.Token);
        Assert.AreEqual(instance.Revision + 1, updated.Revision);
        Assert.AreEqual(0, fixture.Database.InstanceCache.Hits);
        Assert.AreEqual(0, fixture.Database.InstanceCache.Count);
    }

    [TestMethod]
    public void Commit_PublishesWhatWasCommittedForReadersAndNothingOfARolledBackWrite()
    {
        var cache = new InstanceWriteCache(capacity: 4);
        InstanceDocument stored = Document(TaskState.Scheduling);
        cache.Written(stored);
        Assert.IsFalse(cache.TryGetCommitted(stored.Id, out _), "Nothing is published before the commit.");
        cache.Commit();
        Assert.IsTrue(cache.TryGetCommitted(stored.Id, out Instance? committed));
        Assert.AreEqual(stored.ToInstance(), committed);

        InstanceDocument changed = cache.Find(stored.Id, s_noRead)!;
        changed.TaskState = TaskState.Spawning;
        changed.Revision++;
        cache.Written(changed);
        cache.Discard();
        Assert.IsTrue(cache.TryGetCommitted(stored.Id, out Instance? afterRollback));
        Assert.AreEqual(stored.ToInstance(), afterRollback, "Readers must never see a write that was rolled back.");

        changed = cache.Find(stored.Id, s_noRead)!;
        changed.TaskState = TaskState.Spawning;
        changed.Revision++;
        cache.Written(changed);
        cache.Commit();
        Assert.IsTrue(cache.TryGetCommitted(stored.Id, out Instance? afterCommit));
        Assert.AreEqual(TaskState.Spawning, afterCommit.TaskState);
        Assert.AreEqual(stored.Revision + 1, afterCommit.Revision);
    }

    [TestMethod]
    public void Commit_InstancesLeavingTheCache_AreNoLongerPublished()
    {
        const int Capacity = 4;
        var cache = new InstanceWriteCache(Capacity);
        var written = new List<InstanceDocument>();
        for (int i = 0; i < 5 * Capacity; i++)
        {
            InstanceDocument doc = Document(TaskState.None);
            written.Add(doc);
            cache.Written(doc);
            cache.Commit();
        }

        int published = written.Count(doc => cache.TryGetCommitted(doc.Id, out _));
        Assert.IsTrue(published <= 2 * Capacity, $"{published} instances published with a capacity of {Capacity} per generation.");
        Assert.IsTrue(cache.TryGetCommitted(written[^1].Id, out _));
        Assert.IsFalse(cache.TryGetCommitted(written[0].Id, out _), "An instance dropped from the cache must be read from the database again.");
        Assert.AreEqual(cache.Count, published, "Exactly the documents held are published.");
    }

    [TestMethod]
    public async Task GetAsync_RecentlyWrittenInstance_AnsweredAsCommittedAndOnlyToItsHost()
    {
        using var fixture = new StorageFixture();
        await fixture.AddHostAsync("host-a");
        await fixture.AddHostAsync("host-b", vcpus: 1, memoryMb: 1, diskGb: 1);
        Instance instance = await fixture.CreateInstanceAsync();
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        Instance updated = await fixture.Instances("host-a").UpdateAsync(
            new InstanceUpdate { InstanceId = instance.Id, ExpectedTaskState = TaskState.Scheduling, TaskState = TaskState.Spawning },
            cts.Token);
        Assert.IsTrue(fixture.Database.InstanceCache.TryGetCommitted(instance.Id, out _), "The update must have published the instance.");

        Assert.AreEqual(updated, await fixture.Instances("host-a").GetAsync(instance.Id, cts.Token));
        CollectionAssert.AreEqual(new[] { updated }, (await fixture.Instances("host-a").GetManyAsync([instance.Id, instance.Id], cts.Token)).ToArray());
        Assert.AreEqual(updated, await fixture.AdminInstances().GetAsync(instance.Id, cts.Token));
        await Assert.ThrowsExactlyAsync<NotFoundException>(() => fixture.Instances("host-b").GetAsync(instance.Id, cts.Token));
        Assert.AreEqual(0, (await fixture.Instances("host-b").GetManyAsync([instance.Id], cts.Token)).Count);
        AssertCachedAsStored(fixture.Database, instance.Id);
    }

    [TestMethod]
    public async Task Open_ExistingInstances_LoadsLiveOnesUpToOneGenerationSoThatReadsAfterARestartComeFromMemory()
    {
        string directory;
        var live = new List<Guid>();
        Guid deletedId;
        using (var before = new StorageFixture { KeepDirectory = true })
        {
            directory = before.DataDirectory;
            await before.AddHostAsync("host-a");
            for (int i = 0; i < 4; i++)
            {
                live.Add((await before.CreateInstanceAsync($"vm-{i}")).Id);
            }

            using var cts = new CancellationTokenSource(StorageFixture.Timeout);
            deletedId = (await before.CreateInstanceAsync("deleted")).Id;
            await before.AdminInstances().DeleteAsync(new InstanceDeleteRequest { InstanceId = deletedId }, cts.Token);
            await before.Instances("host-a").MarkDeletedAsync(new InstanceDeletion { InstanceId = deletedId, ExpectedTaskState = TaskState.Deleting }, cts.Token);
        }

        using var after = new StorageFixture(dataDirectory: directory, settings: new StorageSettings { InstanceWriteCacheSize = 3 });
        List<Guid> loaded = [.. live.Where(id => after.Database.InstanceCache.TryGetCommitted(id, out _))];
        Assert.AreEqual(3, loaded.Count, "The live instances fill one generation at open, and no more.");
        Assert.IsFalse(after.Database.InstanceCache.TryGetCommitted(deletedId, out _), "A deleted instance is not loaded.");
        foreach (Guid id in loaded)
        {
            AssertCachedAsStored(after.Database, id);
        }

        using var reads = new CancellationTokenSource(StorageFixture.Timeout);
        long missesBefore = after.Database.InstanceCache.Misses;
        Instance updated = await after.Instances("host-a").UpdateAsync(
            new InstanceUpdate { InstanceId = loaded[0], ExpectedTaskState = TaskState.Scheduling, TaskState = TaskState.Spawning },
            reads.Token);
        Assert.AreEqual(missesBefore, after.Database.InstanceCache.Misses, "A loaded instance is written without a query.");
        Assert.AreEqual(updated, await after.Instances("host-a").GetAsync(loaded[0], reads.Token));
    }

    private static void AssertCachedAsStored(LiteDbConductorDatabase database, Guid id)
    {
        BsonMapper mapper = database.Database.Mapper;
        InstanceDocument cached = database.InstanceCache.Find(id, s_noRead) ?? throw new AssertFailedException("The instance is not in the writer's cache.");
        InstanceDocument stored = database.Instances.FindById(id);
        Assert.AreEqual(
            LiteDB.JsonSerializer.Serialize(mapper.ToDocument(stored)),
            LiteDB.JsonSerializer.Serialize(mapper.ToDocument(cached)),
            "The writer's copy of the instance must be exactly what the database has committed.");
        Assert.IsTrue(database.InstanceCache.TryGetCommitted(id, out Instance? published), "The instance must be published for readers.");
        Assert.AreEqual(stored.ToInstance(), published, "Readers must be answered exactly what the database has committed.");
    }

    private static InstanceDocument Document(TaskState taskState)
    {
        var doc = new InstanceDocument
        {
            Id = Guid.NewGuid(),
            Name = "vm",
            Host = "host-a",
            Vcpus = 1,
            MemoryMb = 512,
            DiskGb = 1,
            TaskState = taskState,
            Revision = 1,
            RecentRequests = ["applied"],
            Metadata = [],
        };
        doc.UpdateKeys();
        return doc;
    }
}
