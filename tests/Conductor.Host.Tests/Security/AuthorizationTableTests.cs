using System.Reflection;
using System.Text.Json;
using Conductor.Abstractions;
using Conductor.Abstractions.Admin;
using Conductor.Abstractions.Compute;
using Conductor.Host.Rpc;
using Conductor.Host.Security;
using Conductor.Proxy.Security;

namespace Conductor.Host.Tests.Security;

/// <summary>
/// The authorization rules as one table: every contract member, called over TCP by a compute host on its own
/// records, by the same host on another host's records, and by an admin, with the expected decision. A member added
/// to a contract without a row here (or without a [ConductorAccess] rule) fails these tests.
/// </summary>
[TestClass]
public sealed class AuthorizationTableTests
{
    private static readonly Row[] s_table =
    [
        new("services.Register", Expect.Allowed, Expect.OwnOnly, Expect.Denied, (c, other) => [other ? new { binary = "compute-host", version = "1.0.0", host = "compute-b" } : new ServiceRegistration { Binary = "compute-host", Version = "1.0.0" }]),
        new("services.Heartbeat", Expect.Allowed, Expect.OwnOnly, Expect.Denied, (c, other) => []),
        new("services.Get", Expect.Allowed, Expect.OwnOnly, Expect.Denied, (c, other) => []),
        new("nodes.Report", Expect.Allowed, Expect.OwnOnly, Expect.Denied, (c, other) => [new { vcpusTotal = 64, memoryMbTotal = 400_000, diskGbTotal = 10_000, hypervisorType = "simulated", host = other ? "compute-b" : null }]),
        new("nodes.Get", Expect.Allowed, Expect.OwnOnly, Expect.Denied, (c, other) => []),
        new("instances.Get", Expect.Allowed, Expect.NotFound, Expect.Denied, (c, other) => [other ? c.OtherInstance : c.OwnInstance]),
        new("instances.GetMany", Expect.Allowed, Expect.OwnOnly, Expect.Denied, (c, other) => [other ? new[] { c.OtherInstance, c.OtherDisposable } : new[] { c.OwnInstance }]),
        new("instances.List", Expect.Allowed, Expect.OwnOnly, Expect.Denied, (c, other) => [new { limit = 1000, includeDeleted = true, host = other ? "compute-b" : null }]),
        new("instances.Update", Expect.Allowed, Expect.NotFound, Expect.Denied, (c, other) => [new InstanceUpdate { InstanceId = other ? c.OtherInstance : c.OwnInstance, ExpectedTaskState = TaskState.Scheduling, PowerState = PowerState.NoState }]),
        new("instances.MarkDeleted", Expect.Allowed, Expect.NotFound, Expect.Denied, (c, other) => [new InstanceDeletion { InstanceId = other ? c.OtherInstance : c.OwnDisposable, ExpectedTaskState = TaskState.Scheduling }]),
        new("instance-actions.Start", Expect.Allowed, Expect.NotFound, Expect.Denied, (c, other) => [new InstanceActionStart { InstanceId = other ? c.OtherInstance : c.OwnInstance, Action = "probe" }]),
        new("instance-actions.Finish", Expect.Allowed, Expect.NotFound, Expect.Denied, (c, other) => [new InstanceActionFinish { ActionId = other ? c.OtherAction : c.OwnAction, Result = ActionResult.Success }]),
        new("instance-actions.List", Expect.Allowed, Expect.NotFound, Expect.Denied, (c, other) => [other ? c.OtherInstance : c.OwnInstance]),
        new("admin.instances.Create", Expect.Denied, Expect.Denied, Expect.Allowed, (c, other) => [new InstanceCreate { Name = "table", Flavor = new Flavor { Vcpus = 1, MemoryMb = 256, DiskGb = 1 } }]),
        new("admin.instances.Delete", Expect.Denied, Expect.Denied, Expect.Allowed, (c, other) => [new InstanceDeleteRequest { InstanceId = c.OtherDisposable }]),
        new("admin.instances.Get", Expect.Denied, Expect.Denied, Expect.Allowed, (c, other) => [other ? c.OtherInstance : c.OwnInstance]),
        new("admin.instances.List", Expect.Denied, Expect.Denied, Expect.Allowed, (c, other) => [new PageRequest { Limit = 1000 }]),
        new("admin.services.List", Expect.Denied, Expect.Denied, Expect.Allowed, (c, other) => []),
        new("admin.credentials.Add", Expect.Denied, Expect.Denied, Expect.Allowed, (c, other) => [HostCredential.Generate(other ? "compute-b" : "table-new", ConductorRole.Compute).CreateVerifier(replace: true)]),
        new("admin.credentials.Revoke", Expect.Denied, Expect.Denied, Expect.Allowed, (c, other) => [new CredentialRevocation { Name = other ? "compute-b" : "table-revoke" }]),
        new("admin.credentials.List", Expect.Denied, Expect.Denied, Expect.Allowed, (c, other) => []),
    ];

    private enum Expect
    {
        /// <summary>The call succeeds.</summary>
        Allowed,

        /// <summary>The call succeeds and answers about the caller's own records only.</summary>
        OwnOnly,

        /// <summary>Answered exactly as a missing record: another host's record does not exist for the caller.</summary>
        NotFound,

        /// <summary>Refused with the access-denied error.</summary>
        Denied,
    }

    public static IEnumerable<object[]> Members => BuiltInApis.All.SelectMany(t => ConductorApiDescriptor.Create(t).Members).Select(m => new object[] { m.MethodName });

    [TestMethod]
    public void Table_HasARowForEveryContractMemberAndNoOther()
    {
        string[] members = [.. Members.Select(m => (string)m[0])];
        string[] rows = [.. s_table.Select(r => r.Method)];

        string[] missing = [.. members.Except(rows)];
        string[] extra = [.. rows.Except(members)];

        Assert.IsEmpty(missing, $"These contract members have no row in the authorization table: {string.Join(", ", missing)}. Add a [ConductorAccess] rule to each and a row with its expected decisions for own records, another host's records and an admin.");
        Assert.IsEmpty(extra, $"These rows name no contract member: {string.Join(", ", extra)}.");
    }

    [TestMethod]
    [DynamicData(nameof(Members))]
    public void Member_DeclaresARuleThatMatchesTheTable(string method)
    {
        ConductorMemberDescriptor member = BuiltInApis.All.SelectMany(t => ConductorApiDescriptor.Create(t).Members).Single(m => m.MethodName == method);
        ConductorAccessAttribute[] rules = [.. member.Method.GetCustomAttributes<ConductorAccessAttribute>()];
        var policy = new AccessPolicy(BuiltInApis.All.Select(t => new ServedApiRegistration(t)));
        Row row = s_table.Single(r => r.Method == method);

        Assert.IsNotEmpty(rules, $"{method} declares no [ConductorAccess] rule, so nobody may call it.");
        Assert.AreEqual(row.Own != Expect.Denied, policy.For(ConductorRole.Compute)[method].Allowed, $"Compute hosts' access to {method}.");
        Assert.AreEqual(row.Admin != Expect.Denied, policy.For(ConductorRole.Admin)[method].Allowed, $"Admins' access to {method}.");
    }

    [TestMethod]
    public void Policy_MemberWithoutRule_IsDeniedToEveryone()
    {
        var policy = new AccessPolicy([new ServedApiRegistration(typeof(IUnruledApi))]);

        Assert.IsTrue(policy.For(ConductorRole.Compute)["unruled.Ruled"].Allowed, "A member with a rule is decided by it.");
        Assert.IsFalse(policy.For(ConductorRole.Compute)["unruled.Forgotten"].Allowed);
        Assert.IsFalse(policy.For(ConductorRole.Admin)["unruled.Forgotten"].Allowed);
        CollectionAssert.AreEqual(new[] { "unruled.Forgotten" }, policy.MembersWithoutRule.ToArray());
    }

    [TestMethod]
    public async Task EveryCell_OverTcp_HasTheExpectedDecision()
    {
        await using SecureConductor conductor = await SecureConductor.StartAsync(s => s.FailedAuthenticationsPerAddress = 1000);
        await using RawClient a = await RawClient.AuthenticatedAsync(conductor, await conductor.IssueAsync("compute-a"));
        await using RawClient b = await RawClient.AuthenticatedAsync(conductor, await conductor.IssueAsync("compute-b"));
        await using RawClient admin = await RawClient.AuthenticatedAsync(conductor, await conductor.IssueAsync("operator", ConductorRole.Admin));
        await conductor.IssueAsync("table-revoke");
        Context context = await ArrangeAsync(a, b, admin);
        var failures = new List<string>();

        foreach (Row row in s_table)
        {
            await CheckAsync(failures, row, "own", row.Own, a, row.Arguments(context, false));
            await CheckAsync(failures, row, "other host's", row.Other, a, row.Arguments(context, true));
            await CheckAsync(failures, row, "admin", row.Admin, admin, row.Arguments(context, false));
        }

        Assert.IsEmpty(failures, string.Join(Environment.NewLine, failures));
    }

    private static async Task<Context> ArrangeAsync(RawClient a, RawClient b, RawClient admin)
    {
        // A has the most free memory until its two large instances are placed; then B does.
        await a.CallAsync("services.Register", new ServiceRegistration { Binary = "compute-host", Version = "1.0.0" });
        await a.CallAsync("nodes.Report", new ComputeNodeReport { VcpusTotal = 64, MemoryMbTotal = 400_000, DiskGbTotal = 10_000, HypervisorType = "simulated" });
        await b.CallAsync("services.Register", new ServiceRegistration { Binary = "compute-host", Version = "1.0.0" });
        await b.CallAsync("nodes.Report", new ComputeNodeReport { VcpusTotal = 64, MemoryMbTotal = 120_000, DiskGbTotal = 10_000, HypervisorType = "simulated" });
        Guid[] placed = new Guid[4];
        int[] memory = [150_000, 150_000, 512, 512];
        for (int i = 0; i < 4; i++)
        {
            JsonElement created = await admin.CallAsync("admin.instances.Create", new InstanceCreate { Name = $"vm-{i}", Flavor = new Flavor { Vcpus = 1, MemoryMb = memory[i], DiskGb = 1 } });
            Assert.AreEqual(i < 2 ? "compute-a" : "compute-b", created.GetProperty("host").GetString());
            placed[i] = created.GetProperty("id").GetGuid();
        }

        Guid ownAction = (await a.CallAsync("instance-actions.Start", new InstanceActionStart { InstanceId = placed[0], Action = "spawn" })).GetProperty("id").GetGuid();
        Guid otherAction = (await b.CallAsync("instance-actions.Start", new InstanceActionStart { InstanceId = placed[2], Action = "spawn" })).GetProperty("id").GetGuid();
        return new Context(placed[0], placed[1], placed[2], placed[3], ownAction, otherAction);
    }

    private static async Task CheckAsync(List<string> failures, Row row, string cell, Expect expected, RawClient caller, object?[] arguments)
    {
        string actual;
        try
        {
            JsonElement result = await caller.CallAsync(row.Method, arguments);
            actual = expected == Expect.OwnOnly && !OwnOnly(result) ? "answered with another host's records: " + result : expected == Expect.OwnOnly ? nameof(Expect.OwnOnly) : nameof(Expect.Allowed);
        }
        catch (StreamJsonRpc.RemoteInvocationException ex)
        {
            actual = ex.ErrorCode switch
            {
                ConductorErrorCodes.NotFound => nameof(Expect.NotFound),
                ConductorErrorCodes.AccessDenied => nameof(Expect.Denied),
                _ => $"error {ex.ErrorCode}: {ex.Message}",
            };
        }

        if (actual != expected.ToString())
        {
            failures.Add($"{row.Method} ({cell}): expected {expected}, got {actual}");
        }
    }

    private static bool OwnOnly(JsonElement result) => result.ValueKind switch
    {
        JsonValueKind.Array => result.EnumerateArray().All(i => i.GetProperty("host").GetString() == "compute-a"),
        _ when result.TryGetProperty("items", out JsonElement items) => items.EnumerateArray().All(i => i.GetProperty("host").GetString() == "compute-a"),
        _ => result.GetProperty("host").GetString() == "compute-a",
    };

    private sealed record Row(string Method, Expect Own, Expect Other, Expect Admin, Func<Context, bool, object?[]> Arguments);

    private sealed record Context(Guid OwnInstance, Guid OwnDisposable, Guid OtherInstance, Guid OtherDisposable, Guid OwnAction, Guid OtherAction);
}
