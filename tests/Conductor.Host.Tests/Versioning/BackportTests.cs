using System.Text.Json;
using Conductor.Abstractions;
using Conductor.Abstractions.Admin;
using Conductor.Abstractions.Compute;
using Conductor.Abstractions.Wire;
using Conductor.Host.Tests.Versioning.Apis;
using Microsoft.Extensions.DependencyInjection;
using StreamJsonRpc;

namespace Conductor.Host.Tests.Versioning;

/// <summary>What crosses the wire to an older client: read with a raw JSON-RPC connection, not through a DTO that would hide it.</summary>
[TestClass]
public sealed class BackportTests
{
    private static readonly Dictionary<string, string> s_metadata = new() { ["owner"] = "alice" };

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Get_InstancesOneZeroClient_ReplyHasNoMetadataField()
    {
        await using var conductor = InProcessConductor.Start();
        Instance created = await conductor.SeedInstanceAsync("host-a", s_metadata);
        (JsonRpc rpc, HandshakeResponse handshake) = await conductor.RawAsync("host-a", new Dictionary<string, string> { ["instances"] = "1.0" });

        JsonElement instance = await rpc.InvokeWithCancellationAsync<JsonElement>("instances.Get", [created.Id], TestContext.CancellationToken);
        JsonElement page = await rpc.InvokeWithCancellationAsync<JsonElement>("instances.List", [new PageRequest()], TestContext.CancellationToken);

        Assert.AreEqual("1.0", handshake.Apis["instances"]);
        Assert.AreEqual(created.Id, instance.GetProperty("id").GetGuid());
        Assert.IsFalse(instance.TryGetProperty("metadata", out _), "instances 1.0 has no metadata field.");
        JsonElement listed = page.GetProperty("items")[0];
        Assert.AreEqual(created.Id, listed.GetProperty("id").GetGuid());
        Assert.IsFalse(listed.TryGetProperty("metadata", out _), "Items inside a page are backported too.");
    }

    [TestMethod]
    public async Task Get_InstancesOneOneClient_ReplyCarriesMetadata()
    {
        await using var conductor = InProcessConductor.Start();
        Instance created = await conductor.SeedInstanceAsync("host-a", s_metadata);
        (JsonRpc rpc, _) = await conductor.RawAsync("host-a", new Dictionary<string, string> { ["instances"] = "1.1" });

        JsonElement instance = await rpc.InvokeWithCancellationAsync<JsonElement>("instances.Get", [created.Id], TestContext.CancellationToken);
        JsonElement many = await rpc.InvokeWithCancellationAsync<JsonElement>("instances.GetMany", [new[] { created.Id }], TestContext.CancellationToken);

        Assert.AreEqual("alice", instance.GetProperty("metadata").GetProperty("owner").GetString());
        Assert.AreEqual(created.Id, many[0].GetProperty("id").GetGuid());
    }

    [TestMethod]
    public async Task GetMany_InstancesOneZeroClient_IsNotExposed()
    {
        await using var conductor = InProcessConductor.Start();
        Instance created = await conductor.SeedInstanceAsync("host-a");
        (JsonRpc rpc, _) = await conductor.RawAsync("host-a", new Dictionary<string, string> { ["instances"] = "1.0" });

        RemoteMethodNotFoundException error = await Assert.ThrowsAsync<RemoteMethodNotFoundException>(
            () => rpc.InvokeWithCancellationAsync<JsonElement>("instances.GetMany", [new[] { created.Id }], TestContext.CancellationToken));

        Assert.AreEqual("instances.GetMany", error.TargetMethod);
    }

    [TestMethod]
    public async Task Update_InstancesOneZeroClient_LeavesMetadataItDoesNotKnow()
    {
        await using var conductor = InProcessConductor.Start();
        Instance created = await conductor.SeedInstanceAsync("host-a", s_metadata);
        (JsonRpc rpc, _) = await conductor.RawAsync("host-a", new Dictionary<string, string> { ["instances"] = "1.0" });

        // A 1.0 client sends the 1.0 shape; even a stray "metadata" in it is not a field of 1.0 and is ignored.
        JsonElement updated = await rpc.InvokeWithCancellationAsync<JsonElement>(
            "instances.Update",
            [new { instanceId = created.Id, expectedTaskState = "scheduling", taskState = "spawning", requestId = Guid.NewGuid(), metadata = new { owner = "mallory" } }],
            TestContext.CancellationToken);
        ServiceProvider admin = conductor.Client("operator", ConductorRole.Admin);
        Instance after = await admin.GetRequiredService<IInstanceAdminRepository>().GetAsync(created.Id, TestContext.CancellationToken);

        Assert.AreEqual("spawning", updated.GetProperty("taskState").GetString());
        Assert.AreEqual(TaskState.Spawning, after.TaskState);
        Assert.AreEqual(created.Revision + 1, after.Revision);
        CollectionAssert.AreEquivalent(s_metadata, after.Metadata!.ToDictionary());
    }

    [TestMethod]
    public async Task Now_TickerOneZeroClient_NewerFieldLeftOutAndNewerMemberMissing()
    {
        await using var conductor = InProcessConductor.Start(serve: b => b.AddApi<ITicker, Ticker>());
        (JsonRpc old, _) = await conductor.RawAsync("host-a", new Dictionary<string, string> { ["ticker"] = "1.0" });
        (JsonRpc current, _) = await conductor.RawAsync("host-b", new Dictionary<string, string> { ["ticker"] = "1.2" });

        JsonElement oldTick = await old.InvokeWithCancellationAsync<JsonElement>("ticker.Now", [], TestContext.CancellationToken);
        JsonElement newTick = await current.InvokeWithCancellationAsync<JsonElement>("ticker.Now", [], TestContext.CancellationToken);
        int sum = await current.InvokeWithCancellationAsync<int>("ticker.Add", [1, 2], TestContext.CancellationToken);
        await Assert.ThrowsAsync<RemoteMethodNotFoundException>(() => old.InvokeWithCancellationAsync<int>("ticker.Add", [1, 2], TestContext.CancellationToken));

        Assert.AreEqual(42, oldTick.GetProperty("ticks").GetInt64());
        Assert.IsFalse(oldTick.TryGetProperty("zone", out _));
        Assert.AreEqual("UTC", newTick.GetProperty("zone").GetString(), "Connections on the current version are not affected by an older one.");
        Assert.AreEqual(3, sum);
    }
}
