using Conductor.Abstractions;
using Conductor.Abstractions.Admin;
using Conductor.Abstractions.Compute;
using Conductor.Host.Versioning;
using Microsoft.Extensions.DependencyInjection;
using StreamJsonRpc;

namespace Conductor.Host.Tests.Versioning;

[TestClass]
public sealed class UpgradeCheckTests
{
    private static readonly IReadOnlyList<ConductorApiDescriptor> s_computeApis = BuiltInApis.Compute.Select(ConductorApiDescriptor.Create).ToList();

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Run_FleetWithAOneZeroHost_FlagsItForTheNextReleaseAndReportsFleetMinimum()
    {
        // Arrange: one host on today's build, one that registered speaking instances 1.0 (an older compute host).
        await using var conductor = InProcessConductor.Start();
        ServiceProvider current = conductor.Client("host-new");
        await current.GetRequiredService<IServiceRepository>().RegisterAsync(new ServiceRegistration { Binary = "compute-host", Version = "1.1.0" }, TestContext.CancellationToken);
        var oldApis = new Dictionary<string, string> { ["services"] = "1.0", ["nodes"] = "1.0", ["instances"] = "1.0", ["instance-actions"] = "1.0" };
        (JsonRpc old, _) = await conductor.RawAsync("host-old", oldApis);
        await old.InvokeWithCancellationAsync<ServiceRecord>("services.Register", [new ServiceRegistration { Binary = "compute-host", Version = "1.0.0" }], TestContext.CancellationToken);
        ServiceProvider admin = conductor.Client("operator", ConductorRole.Admin);
        IReadOnlyList<ServiceStatus> services = await admin.GetRequiredService<IServiceAdminRepository>().ListAsync(TestContext.CancellationToken);

        // Act
        UpgradeCheckResult result = UpgradeCheck.Run(services, s_computeApis);

        // Assert
        Assert.AreEqual(UpgradeOutcome.Failure, result.Outcome);
        HostVerdict oldHost = result.Hosts.Single(h => h.Host == "host-old");
        Assert.AreEqual(UpgradeOutcome.Failure, oldHost.Outcome);
        CollectionAssert.AreEqual(new[] { "instances 1.0 will be refused by the next conductor release (it needs 1.1 or newer)" }, oldHost.Problems.ToArray());
        Assert.AreEqual(UpgradeOutcome.Ok, result.Hosts.Single(h => h.Host == "host-new").Outcome);
        Assert.AreEqual("1.0", result.FleetMinimum["instances"]);
        Assert.AreEqual("1.1", result.NextReleaseMinimum["instances"]);
        Assert.AreEqual("1.0", result.NextReleaseMinimum["services"]);
    }

    [TestMethod]
    public void Run_HostWithUnknownVersions_Warns()
    {
        var service = new ServiceStatus
        {
            Service = new ServiceRecord { Host = "legacy", Binary = "compute-host", Version = "1.0.0", Disabled = false, CreatedAtUtc = DateTime.UnixEpoch, LastHeartbeatAtUtc = DateTime.UnixEpoch },
            IsUp = false,
            InstanceCount = 0,
        };

        UpgradeCheckResult result = UpgradeCheck.Run([service], s_computeApis);

        Assert.AreEqual(UpgradeOutcome.Warning, result.Outcome);
        StringAssert.StartsWith(result.Hosts.Single().Problems.Single(), "its API versions are unknown");
        Assert.IsEmpty(result.FleetMinimum);
    }

    [TestMethod]
    public void Run_EveryHostCurrent_Ok()
    {
        var versions = s_computeApis.ToDictionary(a => a.Name, a => a.Version.ToString());
        var service = new ServiceStatus
        {
            Service = new ServiceRecord { Host = "a", Binary = "compute-host", Version = "1.1.0", Disabled = false, CreatedAtUtc = DateTime.UnixEpoch, LastHeartbeatAtUtc = DateTime.UnixEpoch, ApiVersions = versions },
            IsUp = true,
            InstanceCount = 3,
        };

        UpgradeCheckResult result = UpgradeCheck.Run([service], s_computeApis);

        Assert.AreEqual(UpgradeOutcome.Ok, result.Outcome);
        Assert.AreEqual("1.1", result.FleetMinimum["instances"]);
    }
}
