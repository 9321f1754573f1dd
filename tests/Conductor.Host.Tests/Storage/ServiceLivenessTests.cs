using Conductor.Abstractions;
using Conductor.Abstractions.Compute;
using Conductor.Host.Repositories;
using Conductor.Host.Storage.Documents;
using Conductor.Host.Versioning;

namespace Conductor.Host.Tests.Storage;

/// <summary>
/// Heartbeats live in memory and reach the service record only every <see cref="ServiceLiveness.PersistInterval"/>:
/// every reader still sees the latest one.
/// </summary>
[TestClass]
public sealed class ServiceLivenessTests
{
    [TestMethod]
    public async Task HeartbeatAsync_StoredStampRecent_NotWrittenButEveryReaderSeesIt()
    {
        using var fixture = new StorageFixture();
        var time = (FakeTimeProvider)fixture.Time;
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        await fixture.AddHostAsync("host-a");
        DateTime stored = fixture.Database.Services.FindById("host-a").LastHeartbeatAtUtc;
        time.Advance(TimeSpan.FromSeconds(10));

        ServiceRecord beat = await fixture.Services("host-a").HeartbeatAsync(cts.Token);

        Assert.AreEqual(stored.AddSeconds(10), beat.LastHeartbeatAtUtc);
        Assert.AreEqual(stored, fixture.Database.Services.FindById("host-a").LastHeartbeatAtUtc, "A heartbeat this soon is not written.");
        Assert.AreEqual(beat.LastHeartbeatAtUtc, (await fixture.Services("host-a").GetAsync(cts.Token)).LastHeartbeatAtUtc);
        ServiceStatus listed = (await fixture.AdminServices().ListAsync(cts.Token)).Single();
        Assert.AreEqual(beat.LastHeartbeatAtUtc, listed.Service.LastHeartbeatAtUtc);
        Assert.IsTrue(listed.IsUp);
    }

    [TestMethod]
    public async Task HeartbeatAsync_StoredStampOlderThanTheInterval_WritesTheRecord()
    {
        using var fixture = new StorageFixture();
        var time = (FakeTimeProvider)fixture.Time;
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        await fixture.AddHostAsync("host-a");
        time.Advance(ServiceLiveness.PersistInterval);

        ServiceRecord beat = await fixture.Services("host-a").HeartbeatAsync(cts.Token);

        Assert.AreEqual(beat.LastHeartbeatAtUtc, fixture.Database.Services.FindById("host-a").LastHeartbeatAtUtc);
    }

    [TestMethod]
    public async Task HeartbeatAsync_WritesTheRecord_KeepsTheRegistrationAndNeverChangesTheRecordReadersHold()
    {
        using var fixture = new StorageFixture();
        var time = (FakeTimeProvider)fixture.Time;
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        await fixture.Services("host-a").RegisterAsync(new ServiceRegistration { Binary = "compute-host", Version = "2.1", Disabled = true }, cts.Token);
        Assert.IsTrue(fixture.Database.SchedulingHosts.TryGetService("host-a", out ServiceDocument? before));
        DateTime registeredAt = before.LastHeartbeatAtUtc;
        time.Advance(ServiceLiveness.PersistInterval);

        ServiceRecord beat = await fixture.Services("host-a").HeartbeatAsync(cts.Token);

        // The write starts from the scheduler's in-memory record instead of a query: what it stores must be the
        // registered record with only the stamp changed, and the record other threads may be reading must stay as it
        // was (the write changes a copy), replaced only once the write commits.
        ServiceDocument stored = fixture.Database.Services.FindById("host-a");
        Assert.AreEqual(beat.LastHeartbeatAtUtc, stored.LastHeartbeatAtUtc);
        Assert.AreEqual(("compute-host", "2.1", true, before.CreatedAtUtc), (stored.Binary, stored.Version, stored.Disabled, stored.CreatedAtUtc));
        Assert.AreEqual(registeredAt, before.LastHeartbeatAtUtc, "The committed record readers hold must never be changed in place.");
        Assert.IsTrue(fixture.Database.SchedulingHosts.TryGetService("host-a", out ServiceDocument? after));
        Assert.AreNotSame(before, after);
        Assert.AreEqual(stored.LastHeartbeatAtUtc, after.LastHeartbeatAtUtc);
    }

    [TestMethod]
    public async Task ScheduleAndList_HostHeartbeatingInMemoryOnly_StaysUpPastServiceDownAfterOfItsStoredStamp()
    {
        using var fixture = new StorageFixture();
        var time = (FakeTimeProvider)fixture.Time;
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        await fixture.AddHostAsync("host-a");
        DateTime stored = fixture.Database.Services.FindById("host-a").LastHeartbeatAtUtc;

        // Beats every 10 s for 70 s: the record is written about every other beat, and the host never reads as down.
        for (int i = 0; i < 7; i++)
        {
            time.Advance(TimeSpan.FromSeconds(10));
            await fixture.Services("host-a").HeartbeatAsync(cts.Token);
            Assert.IsTrue((await fixture.AdminServices().ListAsync(cts.Token)).Single().IsUp, $"Up after beat {i + 1}.");
        }

        Assert.IsGreaterThan(stored, fixture.Database.Services.FindById("host-a").LastHeartbeatAtUtc, "The record was written along the way.");
        Instance created = await fixture.CreateInstanceAsync();
        Assert.AreEqual("host-a", created.Host);
    }

    [TestMethod]
    public async Task HeartbeatAsync_HostStopsBeating_DownAfterServiceDownAfterAndNotScheduled()
    {
        using var fixture = new StorageFixture();
        var time = (FakeTimeProvider)fixture.Time;
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        await fixture.AddHostAsync("host-a");
        time.Advance(TimeSpan.FromSeconds(10));
        await fixture.Services("host-a").HeartbeatAsync(cts.Token);

        time.Advance(fixture.Options.Value.ServiceDownAfter);

        Assert.IsFalse((await fixture.AdminServices().ListAsync(cts.Token)).Single().IsUp);
        await Assert.ThrowsExactlyAsync<NoCapacityException>(() => fixture.CreateInstanceAsync());
    }

    [TestMethod]
    public async Task HeartbeatAsync_HostNowSpeaksOtherVersions_WritesThemAtOnce()
    {
        using var fixture = new StorageFixture();
        var time = (FakeTimeProvider)fixture.Time;
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        await new ServiceRepository(fixture.Database, new TestCaller("host-a"), fixture.Time, Versions(new ApiVersion(1, 0)))
            .RegisterAsync(new ServiceRegistration { Binary = "compute-host", Version = "1.0" }, cts.Token);
        time.Advance(TimeSpan.FromSeconds(1));

        // Reconnected, speaking 1.1 now: well within the persist interval, but the upgrade check must see it.
        await new ServiceRepository(fixture.Database, new TestCaller("host-a"), fixture.Time, Versions(new ApiVersion(1, 1)))
            .HeartbeatAsync(cts.Token);

        Assert.AreEqual("1.1", fixture.Database.Services.FindById("host-a").ApiVersions!["instances"]);
    }

    private static ConnectionVersions Versions(ApiVersion instances)
    {
        var versions = new ConnectionVersions();
        var announced = new Dictionary<string, ApiVersion>(StringComparer.Ordinal) { ["instances"] = instances };
        versions.Set(announced, announced);
        return versions;
    }
}
