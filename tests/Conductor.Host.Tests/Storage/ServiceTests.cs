using Conductor.Abstractions;
using Conductor.Abstractions.Compute;

namespace Conductor.Host.Tests.Storage;

[TestClass]
public sealed class ServiceTests
{
    [TestMethod]
    public async Task AdminListAsync_HeartbeatAges_ReportsUpAndDown()
    {
        using var fixture = new StorageFixture();
        var clock = (FakeTimeProvider)fixture.Time;
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        await fixture.AddHostAsync("host-b");
        await fixture.Services("host-a").RegisterAsync(new ServiceRegistration { Binary = "compute-host", Version = "1.0" }, cts.Token);
        await fixture.CreateInstanceAsync();
        clock.Advance(TimeSpan.FromSeconds(30));
        await fixture.Services("host-a").HeartbeatAsync(cts.Token);
        clock.Advance(TimeSpan.FromSeconds(31));

        IReadOnlyList<ServiceStatus> statuses = await fixture.AdminServices().ListAsync(cts.Token);

        CollectionAssert.AreEqual(new[] { "host-a", "host-b" }, statuses.Select(s => s.Service.Host).ToArray());
        Assert.IsTrue(statuses[0].IsUp);
        Assert.IsNull(statuses[0].Node);
        Assert.AreEqual(0, statuses[0].InstanceCount);
        Assert.IsFalse(statuses[1].IsUp);
        Assert.AreEqual(64, statuses[1].Node?.VcpusTotal);
        Assert.AreEqual(1, statuses[1].InstanceCount);
    }

    [TestMethod]
    public async Task RegisterAsync_Twice_KeepsCreationTimeAndStampsHeartbeat()
    {
        using var fixture = new StorageFixture();
        var clock = (FakeTimeProvider)fixture.Time;
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        var registration = new ServiceRegistration { Binary = "compute-host", Version = "1.0" };

        ServiceRecord first = await fixture.Services("host-a").RegisterAsync(registration, cts.Token);
        clock.Advance(TimeSpan.FromSeconds(5));
        ServiceRecord second = await fixture.Services("host-a").RegisterAsync(registration with { Version = "1.1", RequestId = Guid.NewGuid() }, cts.Token);

        Assert.AreEqual(first.CreatedAtUtc, second.CreatedAtUtc);
        Assert.AreEqual(first.LastHeartbeatAtUtc.AddSeconds(5), second.LastHeartbeatAtUtc);
        Assert.AreEqual(DateTimeKind.Utc, second.LastHeartbeatAtUtc.Kind);
        Assert.AreEqual(second, await fixture.Services("host-a").GetAsync(cts.Token));

        // A heartbeat answers from the committed record in memory: it must be the second registration's.
        clock.Advance(TimeSpan.FromSeconds(1));
        ServiceRecord beat = await fixture.Services("host-a").HeartbeatAsync(cts.Token);
        Assert.AreEqual("1.1", beat.Version);
        Assert.AreEqual(second.LastHeartbeatAtUtc.AddSeconds(1), beat.LastHeartbeatAtUtc);
    }

    [TestMethod]
    public async Task HeartbeatAsync_NotRegistered_ThrowsNotFound()
    {
        using var fixture = new StorageFixture();
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);

        await Assert.ThrowsExactlyAsync<NotFoundException>(() => fixture.Services("host-a").HeartbeatAsync(cts.Token));
        await Assert.ThrowsExactlyAsync<NotFoundException>(() => fixture.Nodes("host-a").GetAsync(cts.Token));
    }

    [TestMethod]
    public async Task ReportAsync_NegativeValue_ThrowsInvalidRequest()
    {
        using var fixture = new StorageFixture();
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);

        await Assert.ThrowsExactlyAsync<InvalidRequestException>(() => fixture.Nodes("host-a").ReportAsync(
            new ComputeNodeReport { VcpusTotal = -1, MemoryMbTotal = 1, DiskGbTotal = 1, HypervisorType = "kvm" }, cts.Token));
    }
}
