using System.Collections.Concurrent;
using Conductor.Abstractions.Compute;
using Conductor.Host.Security;
using Conductor.Host.Storage;

namespace Conductor.Host.Tests.Storage;

/// <summary>
/// A fresh conductor's first writes while the same records are being read: LiteDB 5.0.21 builds type maps and
/// creates collections lazily, and neither is safe with a reader at the same time (see <see cref="DocumentMapper"/>
/// and <see cref="LiteDbConductorDatabase.CreateCollections"/>).
/// </summary>
[TestClass]
public sealed class FirstWriteRaceTests
{
    private const int Databases = 30;
    private static readonly string[] s_hosts = ["host-a", "host-b"];

    /// <summary>
    /// The demo's start-up, many times over: two compute hosts register, report their nodes and heartbeat on a new
    /// database while <c>services list</c> polls. Before the fixes this failed within a few databases, with an
    /// <c>ObjectId</c> that could not be cast to a string in the list and a registration stored under a generated id
    /// (half-built type map), or with LiteDB closing the engine on "page type must be collection page" (a new
    /// collection read before its page was in the reader's snapshot).
    /// </summary>
    [TestMethod]
    public async Task FreshDatabase_ListWhileHostsRegister_EveryCallSucceedsAndNothingIsLost()
    {
        // The time limit only bounds the run on a slow machine; the test asserts nothing about time.
        long started = TimeProvider.System.GetTimestamp();
        for (int round = 0; round < Databases && TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(60); round++)
        {
            using var sync = new GatedStorageSync();
            using var fixture = new StorageFixture(sync);
            using var cts = new CancellationTokenSource(StorageFixture.Timeout);
            var failures = new ConcurrentQueue<Exception>();
            using var writersDone = new CancellationTokenSource();

            Task[] readers = [.. Enumerable.Range(0, 2).Select(_ => Task.Run(() => PollAsync(fixture, failures, writersDone.Token, cts.Token)))];
            Task[] writers = [.. s_hosts.Select(host => Task.Run(() => StartHostAsync(fixture, host, cts.Token)))];
            try
            {
                await Task.WhenAll(writers);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures.Enqueue(ex);
            }

            await writersDone.CancelAsync();
            await Task.WhenAll(readers);

            Assert.IsTrue(failures.IsEmpty, $"Fresh database {round + 1}: {failures.FirstOrDefault()}");
            Assert.IsFalse(fixture.Database.IsReadOnly, $"Fresh database {round + 1} went read-only.");
            IReadOnlyList<ServiceStatus> listed = await fixture.AdminServices().ListAsync(cts.Token);
            CollectionAssert.AreEqual(s_hosts, listed.Select(s => s.Service.Host).ToArray(), $"Fresh database {round + 1}.");
            Assert.IsTrue(listed.All(s => s.Node is { VcpusTotal: 8 }), $"Fresh database {round + 1}: a node report is missing.");
        }
    }

    [TestMethod]
    public void Open_FreshDatabase_HasEveryCollection()
    {
        using var fixture = new StorageFixture();

        CollectionAssert.IsSubsetOf(CollectionNames.All.ToArray(), fixture.Database.Database.GetCollectionNames().ToArray());
    }

    [TestMethod]
    public void Open_ExistingFileWithoutSomeCollections_CreatesThemAndKeepsTheData()
    {
        var paths = StoragePaths.For(Path.Combine(Path.GetTempPath(), "conductor-tests", Guid.NewGuid().ToString("N")));
        SchemaOneDatabase.Create(paths, instances: 2);
        using var fixture = new StorageFixture(dataDirectory: paths.DataDirectory);

        CollectionAssert.IsSubsetOf(CollectionNames.All.ToArray(), fixture.Database.Database.GetCollectionNames().ToArray());
        Assert.AreEqual(2, fixture.Database.Instances.Count());
        Assert.AreEqual(1, fixture.Database.Services.Count());
    }

    [TestMethod]
    public void DocumentMapper_MapsEveryStoredTypeAndWhatTheyContain()
    {
        Type[] stored =
        [
            .. typeof(LiteDbConductorDatabase).Assembly.GetTypes()
                .Where(t => t.Namespace == typeof(Host.Storage.Documents.ServiceDocument).Namespace && t.IsClass && !t.IsAbstract && !t.IsNested),
            typeof(CredentialDocument),
        ];

        CollectionAssert.IsSubsetOf(stored, DocumentMapper.MappedTypes.ToArray());
        CollectionAssert.Contains(DocumentMapper.MappedTypes.ToArray(), typeof(List<Host.Storage.Documents.MetadataEntry>));
        CollectionAssert.Contains(DocumentMapper.MappedTypes.ToArray(), typeof(Dictionary<string, string>));
    }

    private static async Task StartHostAsync(StorageFixture fixture, string host, CancellationToken cancellationToken)
    {
        await fixture.Services(host).RegisterAsync(new ServiceRegistration { Binary = "compute-host", Version = "1.0" }, cancellationToken);
        await fixture.Nodes(host).ReportAsync(
            new ComputeNodeReport { VcpusTotal = 8, MemoryMbTotal = 1024, DiskGbTotal = 10, HypervisorType = "simulated" },
            cancellationToken);
        await fixture.Services(host).HeartbeatAsync(cancellationToken);
    }

    private static async Task PollAsync(StorageFixture fixture, ConcurrentQueue<Exception> failures, CancellationToken stop, CancellationToken cancellationToken)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await fixture.AdminServices().ListAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures.Enqueue(ex);
                return;
            }
        }
    }
}
