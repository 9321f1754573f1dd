using System.Text.Json;
using Conductor.Abstractions;
using Conductor.Abstractions.Admin;
using Conductor.Abstractions.Compute;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.Compat.Tests;

/// <summary>
/// N against N+1: the compute client built from the frozen 1.0 contract, in its own process, against today's
/// conductor (instances 1.1) over TCP.
/// </summary>
[TestClass]
public sealed class OneZeroClientTests
{
    private const string Host = "compat-old";

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Token => TestContext.CancellationToken;

    [TestMethod]
    public async Task OneZeroClient_TodaysConductor_ReadsWritesCompareAndSwapsAndListsKeepingWhatItDoesNotKnow()
    {
        // Arrange: the old host registers; the operator (today's admin client) creates instances with metadata, a 1.1 field.
        await using ConductorProcess conductor = await ConductorProcess.StartAsync(Token);
        string endpoint = conductor.Endpoint;
        JsonElement registered = (await Processes.V1ClientAsync(endpoint, Host, Token, "register")).Json();
        await using ServiceProvider admin = TodaysClients.Admin(endpoint);
        var instances = admin.GetRequiredService<IInstanceAdminRepository>();
        var metadata = new Dictionary<string, string> { ["owner"] = "alice" };
        var created = new List<Instance>();
        for (int i = 0; i < 3; i++)
        {
            created.Add(await instances.CreateAsync(new InstanceCreate { Name = $"vm-{i}", Flavor = new Flavor { Vcpus = 1, MemoryMb = 512, DiskGb = 1 }, Metadata = metadata }, Token));
        }

        Guid first = created[0].Id;

        // Act: everything a 1.0 compute host does, each in its own run of the old client.
        JsonElement handshake = (await Processes.V1ClientAsync(endpoint, Host, Token, "handshake")).Json();
        JsonElement listed = (await Processes.V1ClientAsync(endpoint, Host, Token, "list")).Json();
        JsonElement read = (await Processes.V1ClientAsync(endpoint, Host, Token, "get", first.ToString())).Json();
        JsonElement raw = (await Processes.V1ClientAsync(endpoint, Host, Token, "raw-get", first.ToString())).Json();
        JsonElement claimed = (await Processes.V1ClientAsync(endpoint, Host, Token, "update", first.ToString(), "scheduling", "spawning")).Json();
        JsonElement lost = (await Processes.V1ClientAsync(endpoint, Host, Token, "update", first.ToString(), "scheduling", "spawning")).ErrorJson();
        JsonElement active = (await Processes.V1ClientAsync(endpoint, Host, Token, "update", first.ToString(), "spawning", "none", "active")).Json();
        JsonElement actions = (await Processes.V1ClientAsync(endpoint, Host, Token, "action", first.ToString(), "spawn")).Json();
        JsonElement missing = (await Processes.V1ClientAsync(endpoint, Host, Token, "get", Guid.NewGuid().ToString())).ErrorJson();
        await instances.DeleteAsync(new InstanceDeleteRequest { InstanceId = created[1].Id }, Token);
        JsonElement deleted = (await Processes.V1ClientAsync(endpoint, Host, Token, "mark-deleted", created[1].Id.ToString())).Json();
        Instance after = await instances.GetAsync(first, Token);

        // Assert: the connection settled on 1.0 and everything worked.
        Assert.AreEqual(Host, registered.GetProperty("host").GetString());
        Assert.AreEqual("1.0", handshake.GetProperty("apis").GetProperty("instances").GetString());
        CollectionAssert.AreEquivalent(created.Select(c => c.Id).ToArray(), listed.EnumerateArray().Select(e => e.GetProperty("id").GetGuid()).ToArray(), "Listing pages through every instance.");
        Assert.AreEqual("vm-0", read.GetProperty("name").GetString());
        Assert.IsFalse(raw.TryGetProperty("metadata", out _), "The conductor backports what it sends a 1.0 client: no metadata field on the wire.");
        Assert.IsTrue(raw.TryGetProperty("revision", out _));
        Assert.AreEqual("spawning", claimed.GetProperty("taskState").GetString());
        Assert.AreEqual(ConductorErrorCodes.Conflict, lost.GetProperty("code").GetInt32(), "The compare-and-swap refuses the stale expectation.");
        Assert.AreEqual("active", active.GetProperty("vmState").GetString());
        Assert.AreEqual("success", actions[0].GetProperty("result").GetString());
        Assert.AreEqual(ConductorErrorCodes.NotFound, missing.GetProperty("code").GetInt32());
        Assert.AreEqual("deleted", deleted.GetProperty("vmState").GetString());

        // The 1.1 field survived every write of the client that never knew it.
        Assert.AreEqual(VmState.Active, after.VmState);
        CollectionAssert.AreEquivalent(metadata, after.Metadata!.ToDictionary());
        Assert.AreEqual(created[0].Revision + 2, after.Revision);
    }

    [TestMethod]
    public async Task OneZeroClient_ConductorRequiresOneOne_RefusedWithUpgradeTheComputeHost()
    {
        await using ConductorProcess conductor = await ConductorProcess.StartAsync(Token, "--Conductor:ApiMinimumVersions:instances", "1.1");

        JsonElement error = (await Processes.V1ClientAsync(conductor.Endpoint, Host, Token, "handshake")).ErrorJson();

        Assert.AreEqual(ConductorErrorCodes.VersionNotSupported, error.GetProperty("code").GetInt32());
        Assert.AreEqual(
            "The compute host speaks instances 1.0, older than the oldest version this conductor accepts (instances 1.1, raised by Conductor:ApiMinimumVersions:instances). Upgrade the compute host to a release that speaks instances 1.1 or newer.",
            error.GetProperty("message").GetString());
    }

    [TestMethod]
    public async Task Handshake_NewerMajorThanTheConductor_RefusedWithUpgradeTheConductorFirst()
    {
        await using ConductorProcess conductor = await ConductorProcess.StartAsync(Token);

        JsonElement error = (await Processes.V1ClientAsync(conductor.Endpoint, Host, Token, "raw-handshake", "instances=2.0")).ErrorJson();

        Assert.AreEqual(ConductorErrorCodes.VersionNotSupported, error.GetProperty("code").GetInt32());
        Assert.AreEqual(
            "The compute host speaks instances 2.0 but the conductor serves instances 1.1; different major versions cannot talk. The conductor is older than this client: upgrade the conductor first.",
            error.GetProperty("message").GetString());
    }

    [TestMethod]
    public async Task UpgradeCheck_FleetWithAOneZeroHost_ListsItAndFails()
    {
        await using ConductorProcess conductor = await ConductorProcess.StartAsync(Token);
        (await Processes.V1ClientAsync(conductor.Endpoint, Host, Token, "register")).Json();
        await using (ServiceProvider current = TodaysClients.Compute(conductor.Endpoint, "compat-new"))
        {
            await current.GetRequiredService<IServiceRepository>().RegisterAsync(new ServiceRegistration { Binary = "compute-host", Version = "1.1.0" }, Token);
        }

        ProcessResult check = await Processes.ConductorCliAsync(Token, "upgrade", "check", "--endpoint", conductor.Endpoint);

        Assert.AreEqual(2, check.ExitCode, check.Output + check.Error);
        StringAssert.Contains(check.Output, $"{Host} (up): instance-actions 1.0, instances 1.0, nodes 1.0, services 1.0: upgrade this host first: instances 1.0 will be refused by the next conductor release (it needs 1.1 or newer)");
        StringAssert.Contains(check.Output, "compat-new (up): instance-actions 1.0, instances 1.1, nodes 1.0, services 1.0: ok");
        StringAssert.Contains(check.Output, "Oldest version in the fleet: instance-actions 1.0, instances 1.0, nodes 1.0, services 1.0");
        StringAssert.Contains(check.Output, "Upgrade check: FAILED.");
    }
}
