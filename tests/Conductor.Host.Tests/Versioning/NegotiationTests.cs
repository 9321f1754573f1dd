using Conductor.Abstractions;
using Conductor.Abstractions.Admin;
using Conductor.Abstractions.Compute;
using Conductor.Abstractions.Wire;
using Conductor.Host.Tests.Versioning.Apis;
using Conductor.Proxy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Conductor.Host.Tests.Versioning;

[TestClass]
public sealed class NegotiationTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Handshake_OlderClient_SettlesOnClientsMinorAndWorks()
    {
        await using var conductor = InProcessConductor.Start(serve: b => b.AddApi<ITicker, Ticker>());
        ServiceProvider client = conductor.Client("host-a", apis: b => b.AddApi<ITickerV1_0>());

        TickV1_0 tick = await client.GetRequiredService<ITickerV1_0>().NowAsync(TestContext.CancellationToken);

        Assert.AreEqual(42, tick.Ticks);
        HandshakeResponse handshake = client.GetRequiredService<IConductorConnection>().Current!;
        Assert.AreEqual("1.0", handshake.Apis["ticker"]);
        Assert.AreEqual("1.1", handshake.Apis["instances"]);
    }

    [TestMethod]
    public async Task Call_NewerClientCallsMemberTheConductorLacks_ThrowsNamingMemberNeededAndServedVersion()
    {
        await using var conductor = InProcessConductor.Start(serve: b => b.AddApi<ITicker, Ticker>());
        ServiceProvider client = conductor.Client("host-a", apis: b => b.AddApi<ITickerV1_3>());
        var ticker = client.GetRequiredService<ITickerV1_3>();

        string zone = await ticker.ZoneAsync(TestContext.CancellationToken);
        VersionNotSupportedException error = await Assert.ThrowsAsync<VersionNotSupportedException>(() => ticker.EchoAsync("hi", TestContext.CancellationToken));

        Assert.AreEqual("UTC", zone, "Members the conductor has keep working.");
        Assert.AreEqual(
            "ticker.Echo needs ticker 1.3, but the connection to the conductor at memory://conductor speaks ticker 1.2: upgrade the conductor first, or call only members of ticker 1.2.",
            error.Message);
        Assert.AreEqual("1.2", client.GetRequiredService<IConductorConnection>().Current!.Apis["ticker"]);
    }

    [TestMethod]
    public async Task Connect_ClientNeedsNewerMinorThanServed_RefusedWithUpgradeTheConductorFirst()
    {
        await using var conductor = InProcessConductor.Start(serve: b => b.AddApi<ITicker, Ticker>());
        ServiceProvider client = conductor.Client("host-a", apis: b => b.AddApi<ITickerNeeds1_3>());

        VersionNotSupportedException error = await Assert.ThrowsAsync<VersionNotSupportedException>(
            () => client.GetRequiredService<IConductorConnection>().ConnectAsync(TestContext.CancellationToken));

        Assert.AreEqual(
            "The conductor at memory://conductor serves ticker 1.2, but this compute host needs at least ticker 1.3 (it speaks 1.3). Upgrade the conductor first: conductors are upgraded before the compute hosts they serve.",
            error.Message);
    }

    [TestMethod]
    public async Task Connect_ClientOnNewerMajor_RefusedWithUpgradeTheConductorFirst()
    {
        await using var conductor = InProcessConductor.Start(serve: b => b.AddApi<ITicker, Ticker>());
        ServiceProvider client = conductor.Client("host-a", apis: b => b.AddApi<ITickerV2_0>());

        VersionNotSupportedException error = await Assert.ThrowsAsync<VersionNotSupportedException>(
            () => client.GetRequiredService<ITickerV2_0>().NowAsync(TestContext.CancellationToken));

        Assert.AreEqual(
            "The compute host speaks ticker 2.0 but the conductor serves ticker 1.2; different major versions cannot talk. The conductor is older than this client: upgrade the conductor first.",
            error.Message);
    }

    [TestMethod]
    public async Task Connect_ClientOnOlderMajor_RefusedWithUpgradeTheComputeHost()
    {
        await using var conductor = InProcessConductor.Start(serve: b => b.AddApi<ITickerMajor2, TickerMajor2>());
        ServiceProvider client = conductor.Client("host-a", apis: b => b.AddApi<ITickerV1_0>());

        VersionNotSupportedException error = await Assert.ThrowsAsync<VersionNotSupportedException>(
            () => client.GetRequiredService<IConductorConnection>().ConnectAsync(TestContext.CancellationToken));

        Assert.AreEqual(
            "The compute host speaks ticker 1.0 but the conductor serves ticker 2.0; different major versions cannot talk. This compute host is too old for this conductor: upgrade it to a release that speaks ticker 2.x.",
            error.Message);
    }

    [TestMethod]
    public async Task Connect_ClientOlderThanRaisedMinimum_RefusedWithUpgradeTheComputeHost()
    {
        await using var conductor = InProcessConductor.Start(o => o.ApiMinimumVersions["ticker"] = "1.1", b => b.AddApi<ITicker, Ticker>());
        ServiceProvider client = conductor.Client("host-a", apis: b => b.AddApi<ITickerV1_0>());

        VersionNotSupportedException error = await Assert.ThrowsAsync<VersionNotSupportedException>(
            () => client.GetRequiredService<IConductorConnection>().ConnectAsync(TestContext.CancellationToken));

        Assert.AreEqual(
            "The compute host speaks ticker 1.0, older than the oldest version this conductor accepts (ticker 1.1, raised by Conductor:ApiMinimumVersions:ticker). Upgrade the compute host to a release that speaks ticker 1.1 or newer.",
            error.Message);
    }

    [TestMethod]
    public async Task Call_ConductorPinnedBelowClient_ServesPinnedVersionAndBackportsReplies()
    {
        await using var conductor = InProcessConductor.Start(o => o.ApiVersionPins["ticker"] = "1.1", b => b.AddApi<ITicker, Ticker>());
        ServiceProvider client = conductor.Client("host-a", apis: b => b.AddApi<ITickerV1_3>());
        var ticker = client.GetRequiredService<ITickerV1_3>();

        int sum = await ticker.AddAsync(2, 3, TestContext.CancellationToken);
        Tick tick = await ticker.NowAsync(TestContext.CancellationToken);
        VersionNotSupportedException error = await Assert.ThrowsAsync<VersionNotSupportedException>(() => ticker.ZoneAsync(TestContext.CancellationToken));

        Assert.AreEqual(5, sum);
        Assert.AreEqual(42, tick.Ticks);
        Assert.IsNull(tick.Zone, "Zone was added in ticker 1.2; a conductor pinned to 1.1 leaves it out.");
        Assert.AreEqual(
            "ticker.Zone needs ticker 1.2, but the connection to the conductor at memory://conductor speaks ticker 1.1: upgrade the conductor first, or call only members of ticker 1.1.",
            error.Message);
    }

    [TestMethod]
    public async Task Call_ProxyPinnedBelowConductor_AnnouncesPinAndNamesThePinWhenAMemberIsTooNew()
    {
        await using var conductor = InProcessConductor.Start(serve: b => b.AddApi<ITicker, Ticker>());
        ServiceProvider client = conductor.Client("host-a", apis: b => b.AddApi<ITickerV1_3>(), configure: o => o.ApiVersionPins["ticker"] = "1.0");
        var ticker = client.GetRequiredService<ITickerV1_3>();

        Tick tick = await ticker.NowAsync(TestContext.CancellationToken);
        VersionNotSupportedException error = await Assert.ThrowsAsync<VersionNotSupportedException>(() => ticker.AddAsync(1, 1, TestContext.CancellationToken));

        Assert.IsNull(tick.Zone);
        Assert.AreEqual("1.0", client.GetRequiredService<IConductorConnection>().Current!.Apis["ticker"]);
        Assert.AreEqual(
            "ticker.Add needs ticker 1.1, but the connection to the conductor at memory://conductor speaks ticker 1.0: this process is pinned to ticker 1.0 by Conductor:ApiVersionPins:ticker; raise or remove the pin once the conductor serves 1.1.",
            error.Message);
    }

    [TestMethod]
    [DataRow("ticker", "1.5", "Conductor:ApiVersionPins:ticker = 1.5 is outside what this conductor speaks (ticker 1.0 to 1.2). Pin it to a version in that range, or remove the pin.")]
    [DataRow("ticker", "one", "Conductor:ApiVersionPins:ticker = 'one' is not a version. Write it as major.minor, for example \"1.0\".")]
    [DataRow("tickr", "1.0", "Conductor:ApiVersionPins names API 'tickr', which this conductor does not serve. Served APIs: admin.instances, admin.services, instance-actions, instances, nodes, services, ticker.")]
    public void Start_BadConductorPin_RefusedWithMessage(string api, string version, string expected)
    {
        InvalidOperationException error = Assert.ThrowsExactly<InvalidOperationException>(
            () => InProcessConductor.Start(o => o.ApiVersionPins[api] = version, b => b.AddApi<ITicker, Ticker>()));

        Assert.AreEqual(expected, error.Message);
    }

    [TestMethod]
    public void Start_ProxyPinAboveItsBuild_RefusedWithMessage()
    {
        var services = new ServiceCollection();
        services.AddConductorClient(o => o.ApiVersionPins["instances"] = "1.7");
        using ServiceProvider provider = services.BuildServiceProvider();

        OptionsValidationException error = Assert.ThrowsExactly<OptionsValidationException>(() => provider.GetRequiredService<IConductorConnection>());

        Assert.AreEqual(
            "Conductor:ApiVersionPins:instances = '1.7' is not a version this process speaks (instances 1.0 to 1.1). Pin it to a version in that range, written major.minor, or remove the pin.",
            error.Message);
    }

    [TestMethod]
    public async Task Register_ConductorPinnedLower_ServiceRecordKeepsTheVersionsTheHostAnnounced()
    {
        await using var conductor = InProcessConductor.Start(o => o.ApiVersionPins["instances"] = "1.0");
        ServiceProvider compute = conductor.Client("host-a");
        ServiceProvider admin = conductor.Client("operator", ConductorRole.Admin);

        await compute.GetRequiredService<IServiceRepository>().RegisterAsync(new ServiceRegistration { Binary = "compute-host", Version = "2.0" }, TestContext.CancellationToken);
        IReadOnlyList<ServiceStatus> services = await admin.GetRequiredService<IServiceAdminRepository>().ListAsync(TestContext.CancellationToken);

        IReadOnlyDictionary<string, string> versions = services.Single().Service.ApiVersions!;
        Assert.AreEqual("1.1", versions["instances"], "The host speaks 1.1 even though this conductor serves it 1.0.");
        Assert.AreEqual("1.0", versions["instance-actions"]);
        Assert.AreEqual("1.0", compute.GetRequiredService<IConductorConnection>().Current!.Apis["instances"]);
    }

    [TestMethod]
    public async Task Backport_SameSettledVersions_OptionsBuiltOnceAndShared()
    {
        await using var conductor = InProcessConductor.Start(serve: b => b.AddApi<ITicker, Ticker>());
        var old = new Dictionary<string, ApiVersion> { ["ticker"] = new(1, 0), ["instances"] = new(1, 0) };
        var current = new Dictionary<string, ApiVersion> { ["ticker"] = new(1, 2), ["instances"] = new(1, 1) };

        var first = conductor.Server.Versions.Contract.GetBackportOptions(old);
        var second = conductor.Server.Versions.Contract.GetBackportOptions(new Dictionary<string, ApiVersion>(old));

        Assert.IsNotNull(first);
        Assert.AreSame(first, second, "One options instance per distinct set of versions.");
        Assert.IsNull(conductor.Server.Versions.Contract.GetBackportOptions(current), "A client that knows every field needs no backport.");
    }
}
