using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using Conductor.Abstractions;
using Conductor.Abstractions.Admin;
using Conductor.Abstractions.Compute;
using Conductor.Abstractions.Wire;
using Conductor.Host.Storage.Documents;
using Conductor.Proxy.Security;
using Microsoft.Extensions.DependencyInjection;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace Conductor.Host.Tests.Security;

/// <summary>
/// Host A is compromised: authenticated as itself, it runs a raw JSON-RPC client against everything host B owns, and
/// against the conductor itself. Every attempt is refused, host B's calls keep succeeding throughout, and host B's
/// records, read directly from the database afterwards, are exactly what B's own acknowledged writes imply.
/// </summary>
[TestClass]
public sealed class CompromisedHostTests
{
    private SecureConductor _conductor = null!;
    private HostCredential _a = null!;
    private ServiceProvider _b = null!;
    private ServiceProvider _admin = null!;
    private RawClient _attacker = null!;
    private VictimWorkload _victim = null!;
    private Guid _ownInstance;
    private Guid[] _victimInstances = null!;
    private Guid _victimAction;
    private ServiceRecord _victimRegistration = null!;

    [TestInitialize]
    public async Task StartAsync()
    {
        _conductor = await SecureConductor.StartAsync(s => s.FailedAuthenticationsPerAddress = 1000);
        _a = await _conductor.IssueAsync("compute-a");
        HostCredential b = await _conductor.IssueAsync("compute-b");
        HostCredential admin = await _conductor.IssueAsync("operator", ConductorRole.Admin);
        _b = ProxyClient.Create(_conductor.Endpoint, b);
        _admin = ProxyClient.Create(_conductor.Endpoint, admin);
        _attacker = await RawClient.AuthenticatedAsync(_conductor, _a);

        // A has the most free memory, so the one large instance lands on it; B's small ones then land on B.
        _victimRegistration = await _b.GetRequiredService<IServiceRepository>().RegisterAsync(new ServiceRegistration { Binary = "compute-host", Version = "1.0.0" }, CancellationToken.None);
        await _b.GetRequiredService<IComputeNodeRepository>().ReportAsync(new ComputeNodeReport { VcpusTotal = 64, MemoryMbTotal = 100_000, DiskGbTotal = 10_000, HypervisorType = "simulated" }, CancellationToken.None);
        await _attacker.CallAsync("services.Register", new ServiceRegistration { Binary = "compute-host", Version = "1.0.0" });
        await _attacker.CallAsync("nodes.Report", new ComputeNodeReport { VcpusTotal = 64, MemoryMbTotal = 200_000, DiskGbTotal = 10_000, HypervisorType = "simulated" });
        IInstanceAdminRepository instances = _admin.GetRequiredService<IInstanceAdminRepository>();
        Instance own = await instances.CreateAsync(new InstanceCreate { Name = "a-vm", Flavor = new Flavor { Vcpus = 1, MemoryMb = 150_000, DiskGb = 1 } }, CancellationToken.None);
        var victims = new List<Guid>();
        for (int i = 1; i <= 3; i++)
        {
            Instance victim = await instances.CreateAsync(new InstanceCreate { Name = $"b-vm-{i}", Flavor = new Flavor { Vcpus = 1, MemoryMb = 512, DiskGb = 1 } }, CancellationToken.None);
            Assert.AreEqual("compute-b", victim.Host);
            victims.Add(victim.Id);
        }

        Assert.AreEqual("compute-a", own.Host);
        _ownInstance = own.Id;
        _victimInstances = [.. victims];
        _victimAction = (await _b.GetRequiredService<IInstanceActionRepository>().StartAsync(new InstanceActionStart { InstanceId = victims[0], Action = "spawn" }, CancellationToken.None)).Id;
        _victim = new VictimWorkload(_b, _victimInstances);
        await _victim.StartAsync();
    }

    [TestCleanup]
    public async Task StopAsync()
    {
        await _attacker.DisposeAsync();
        await _b.DisposeAsync();
        await _admin.DisposeAsync();
        await _conductor.DisposeAsync();
    }

    [TestMethod]
    public async Task CompromisedHost_EveryAttackOnAnotherHostAndTheConductor_IsRefusedAndTheVictimIsUntouched()
    {
        await ReadingAnotherHostsRecords_AnswersExactlyAsForAMissingRecord();
        await WritingAnotherHostsRecords_IsAnsweredNotFound_NeverConflict();
        await ForgedHostNamesInParams_AreIgnored();
        await AdminMembers_AreDenied();
        await NonContractMembers_AreNotFound_WithoutInternals();
        await ReplayedAndForgedHandshakes_AreRefused();
        await GarbageTruncatedAndOversizedFrames_CloseOnlyThatConnection();
        await RequestFloods_DoNotStopTheVictim();

        await _victim.ProgressAsync();
        await _victim.StopAsync();
        Assert.IsEmpty(_victim.Failures, "Host B's calls must keep succeeding during the attack.");
        AssertVictimRecordsAreExactlyItsAcknowledgedWrites();
        Assert.IsTrue(_conductor.Log.Audit.Any(e => e.Message.Contains("AUDIT call denied", StringComparison.Ordinal) && e.Message.Contains("'compute-a'", StringComparison.Ordinal)));
    }

    private async Task ReadingAnotherHostsRecords_AnswersExactlyAsForAMissingRecord()
    {
        Guid missing = Guid.NewGuid();
        foreach (Guid victim in _victimInstances)
        {
            RpcError other = await _attacker.FailAsync("instances.Get", victim);
            RpcError none = await _attacker.FailAsync("instances.Get", missing);
            Assert.AreEqual(ConductorErrorCodes.NotFound, other.ErrorCode);
            Assert.AreEqual(none.Message.Replace(missing.ToString(), "ID", StringComparison.Ordinal), other.Message.Replace(victim.ToString(), "ID", StringComparison.Ordinal));

            RpcError actions = await _attacker.FailAsync("instance-actions.List", victim);
            Assert.AreEqual(ConductorErrorCodes.NotFound, actions.ErrorCode);
        }

        // Listing, even with a page token pointing into B's instances, shows A's own only.
        foreach (object page in new object[] { new PageRequest { Limit = 1000, IncludeDeleted = true }, new { after = _victimInstances[0].ToString("D"), limit = 1000, host = "compute-b" } })
        {
            JsonElement listed = await _attacker.CallAsync("instances.List", page);
            string[] hosts = [.. listed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("host").GetString()!)];
            Assert.IsTrue(hosts.All(h => h == "compute-a"), "A listed another host's instance: " + listed);
        }
    }

    private async Task WritingAnotherHostsRecords_IsAnsweredNotFound_NeverConflict()
    {
        foreach (Guid victim in _victimInstances)
        {
            foreach (string expected in new[] { "none", "scheduling", "deleting" })
            {
                Assert.AreEqual(ConductorErrorCodes.NotFound, (await _attacker.FailAsync("instances.Update", new { instanceId = victim, expectedTaskState = expected, powerState = "crashed", vmState = "error" })).ErrorCode);
                Assert.AreEqual(ConductorErrorCodes.NotFound, (await _attacker.FailAsync("instances.MarkDeleted", new { instanceId = victim, expectedTaskState = expected })).ErrorCode);
            }

            Assert.AreEqual(ConductorErrorCodes.NotFound, (await _attacker.FailAsync("instance-actions.Start", new InstanceActionStart { InstanceId = victim, Action = "evil" })).ErrorCode);
        }

        Assert.AreEqual(ConductorErrorCodes.NotFound, (await _attacker.FailAsync("instance-actions.Finish", new InstanceActionFinish { ActionId = _victimAction, Result = ActionResult.Error, Message = "pwned" })).ErrorCode);

        // A retry of one of B's own write requests, replayed by A, is still another host's record.
        Assert.AreEqual(ConductorErrorCodes.NotFound, (await _attacker.FailAsync("instance-actions.Start", new { instanceId = _victimInstances[0], action = "spawn", requestId = _victimAction })).ErrorCode);
    }

    private async Task ForgedHostNamesInParams_AreIgnored()
    {
        JsonElement service = await _attacker.CallAsync("services.Register", new { binary = "evil", version = "6.6.6", host = "compute-b", hostName = "compute-b" });
        JsonElement node = await _attacker.CallAsync("nodes.Report", new { vcpusTotal = 1, memoryMbTotal = 200_000, diskGbTotal = 1, hypervisorType = "evil", host = "compute-b" });
        JsonElement heartbeat = await _attacker.CallAsync("services.Heartbeat");

        // Moving its own instance to B: the contract has no host field, and a forged one changes nothing.
        JsonElement moved = await _attacker.CallAsync("instances.Update", new { instanceId = _ownInstance, expectedTaskState = "scheduling", host = "compute-b", taskState = "scheduling" });

        Assert.AreEqual("compute-a", service.GetProperty("host").GetString());
        Assert.AreEqual("compute-a", node.GetProperty("host").GetString());
        Assert.AreEqual("compute-a", heartbeat.GetProperty("host").GetString());
        Assert.AreEqual("compute-a", moved.GetProperty("host").GetString());
        Assert.AreEqual("compute-a", _conductor.Database.Instances.FindById(_ownInstance).Host);
    }

    private async Task AdminMembers_AreDenied()
    {
        HostCredential forged = HostCredential.Generate("compute-b", ConductorRole.Compute);
        var calls = new (string Method, object?[] Arguments)[]
        {
            ("admin.instances.List", [new PageRequest { Limit = 1000 }]),
            ("admin.instances.Get", [_victimInstances[0]]),
            ("admin.instances.Create", [new InstanceCreate { Name = "evil", Flavor = new Flavor { Vcpus = 1, MemoryMb = 1, DiskGb = 1 } }]),
            ("admin.instances.Delete", [new InstanceDeleteRequest { InstanceId = _victimInstances[1] }]),
            ("admin.services.List", []),
            ("admin.credentials.List", []),
            ("admin.credentials.Add", [forged.CreateVerifier(replace: true)]),
            ("admin.credentials.Revoke", [new CredentialRevocation { Name = "compute-b" }]),
        };

        foreach ((string method, object?[] arguments) in calls)
        {
            RpcError denied = await _attacker.FailAsync(method, arguments);
            Assert.AreEqual(ConductorErrorCodes.AccessDenied, denied.ErrorCode, method);
            Assert.AreEqual($"This connection (compute host 'compute-a') may not call {method}: compute hosts may not call admin members.", denied.Message);
        }

        // The forged verifier was never stored: B's real credential still works and the forged one does not.
        await using RawClient withForged = await RawClient.ConnectAsync(_conductor);
        await Assert.ThrowsExactlyAsync<RemoteInvocationException>(() => withForged.AuthenticateAsync(forged));
    }

    private async Task NonContractMembers_AreNotFound_WithoutInternals()
    {
        string[] methods =
        [
            "instances.ToString", "instances.GetHashCode", "instances.Equals", "instances.GetType", "instances.Dispose", "instances.Finalize",
            "instances.get", "Instances.Get", "instances.GetAsync", "admin.instances.CreateAsync", "conductor.Negotiate", "conductor.DrainAsync",
            "conductor.EnterCall", "rpc.discover", "System.Object.GetType", "$/invokeProxy/1/Dispose", "$/nothing", "instances.", ".",
        ];

        foreach (string method in methods)
        {
            RpcError missing = await _attacker.FailAsync(method);
            Assert.AreEqual((int)JsonRpcErrorCode.MethodNotFound, missing.ErrorCode, method);
            AssertNoInternals(missing, method);
        }

        // Bad params for a real member: a JSON-RPC error, no internals, and the connection lives on.
        foreach (object?[] arguments in new[] { new object?[] { "not-a-guid" }, [], [1, 2, 3], [new { instanceId = "x" }] })
        {
            RpcError bad = await _attacker.FailAsync("instances.Get", arguments);
            Assert.AreEqual((int)JsonRpcErrorCode.InvalidParams, bad.ErrorCode, JsonSerializer.Serialize(arguments));
            AssertNoInternals(bad, "instances.Get");
        }

        await _attacker.CallAsync("services.Get");
    }

    private async Task ReplayedAndForgedHandshakes_AreRefused()
    {
        // Replaying A's own recorded hello and handshake on a new connection.
        await using (RawClient replay = await RawClient.ConnectAsync(_conductor))
        {
            await replay.HelloAsync(_attacker.LastHello!);
            Assert.AreEqual(ConductorErrorCodes.HandshakeRequired, (await replay.FailAsync(ConductorWire.HandshakeMethod, _attacker.LastHandshake)).ErrorCode);
        }

        // Claiming to be B with A's secret.
        await using (RawClient asVictim = await RawClient.ConnectAsync(_conductor))
        {
            HelloRequest hello = RawClient.Hello("compute-b", ConductorRole.Compute);
            HelloResponse answer = await asVictim.HelloAsync(hello);
            RpcError refused = await asVictim.FailAsync(ConductorWire.HandshakeMethod, RawClient.Handshake("compute-b", ConductorRole.Compute, RawClient.Proof(_a, hello, answer)));
            Assert.AreEqual(ConductorErrorCodes.HandshakeRequired, refused.ErrorCode);
        }

        // Claiming the admin role with A's secret.
        await using (RawClient asAdmin = await RawClient.ConnectAsync(_conductor))
        {
            HelloRequest hello = RawClient.Hello("compute-a", ConductorRole.Admin);
            HelloResponse answer = await asAdmin.HelloAsync(hello);
            Assert.AreEqual(ConductorErrorCodes.HandshakeRequired, (await asAdmin.FailAsync(ConductorWire.HandshakeMethod, RawClient.Handshake("compute-a", ConductorRole.Admin, RawClient.Proof(_a, hello, answer)))).ErrorCode);
        }

        // A second handshake on A's authenticated connection, to switch identity.
        Assert.AreEqual(ConductorErrorCodes.HandshakeRequired, (await _attacker.FailAsync(ConductorWire.HandshakeMethod, RawClient.Handshake("compute-b", ConductorRole.Compute, "AAAA"))).ErrorCode);
        Assert.AreEqual("compute-a", (await _attacker.CallAsync("services.Get")).GetProperty("host").GetString());
    }

    private async Task GarbageTruncatedAndOversizedFrames_CloseOnlyThatConnection()
    {
        string[] garbage =
        [
            "GET / HTTP/1.1\r\nHost: conductor\r\n\r\n",
            "Content-Length: 12\r\n\r\n{not json!!}",
            "Content-Length: 2\r\n\r\n[]",
            "Content-Length: -5\r\n\r\n",
            "Content-Length: 99999999999999999999\r\n\r\n",
            "Content-Type: application/jsonrpc; charset=utf-8\r\n\r\n{}",
            new string('A', 100_000),
            "Content-Length: 100000\r\n\r\n" + new string(' ', 100_000),
        ];

        foreach (string bytes in garbage)
        {
            await using RawSocket socket = await RawSocket.ConnectAsync(_conductor);
            await socket.TryWriteAsync(bytes);
            await socket.ReadUntilClosedAsync();
        }

        // Random binary noise.
        await using (RawSocket noise = await RawSocket.ConnectAsync(_conductor))
        {
            await RawSocket.TryWriteAsync(noise.Stream, RandomNumberGenerator.GetBytes(64 * 1024));
            await noise.ReadUntilClosedAsync();
        }

        // A truncated frame: the peer stops sending mid-message and half-closes.
        await using (RawSocket truncated = await RawSocket.ConnectAsync(_conductor))
        {
            await truncated.TryWriteAsync("Content-Length: 1000\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"conductor.Hel");
            truncated.Stream.Socket.Shutdown(SocketShutdown.Send);
            await truncated.ReadUntilClosedAsync();
        }

        // Oversized after authenticating: more than Conductor:MaxMessageBytes (4 MiB) in one frame.
        await using (RawSocket big = await RawSocket.ConnectAsync(_conductor))
        {
            await big.AuthenticateAsync(_a);
            string padding = new('x', 5 * 1024 * 1024);
            await RawSocket.TryWriteAsync(big.Stream, RawSocket.Frame(RawSocket.Request(3, "instances.Get", padding)));
            await big.ReadUntilClosedAsync();
        }

        await _conductor.Log.WaitForAsync(e => e.Message.Contains("closed: a frame was larger than 4194304 bytes", StringComparison.Ordinal), SecureConductor.Timeout);

        // The attacker's own authenticated connection, and everyone else's, carry on.
        Assert.AreEqual("compute-a", (await _attacker.CallAsync("services.Get")).GetProperty("host").GetString());
        await _victim.ProgressAsync();
    }

    private async Task RequestFloods_DoNotStopTheVictim()
    {
        // A flood that reads its answers: thousands of pipelined calls for B's records.
        using (var stop = new CancellationTokenSource())
        {
            Task flood = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    Task[] burst = [.. Enumerable.Range(0, 256).Select(_ => _attacker.Rpc.InvokeAsync<JsonElement>("instances.Get", _victimInstances[0]).ContinueWith(t => t.Exception, TaskScheduler.Default))];
                    await Task.WhenAll(burst);
                }
            });
            await _victim.ProgressAsync();
            await stop.CancelAsync();
            await flood.WaitAsync(SecureConductor.Timeout);
        }

        // A flood that never reads: the conductor stops reading it after its in-flight cap, so it only fills its own socket.
        await using (RawSocket silent = await RawSocket.ConnectAsync(_conductor))
        {
            await silent.AuthenticateAsync(_a);
            byte[] frame = RawSocket.Frame(RawSocket.Request(9, "instances.Get", _victimInstances[0]));
            using var stop = new CancellationTokenSource();
            Task writer = Task.Run(async () =>
            {
                byte[] batch = [.. Enumerable.Repeat(frame, 1000).SelectMany(f => f)];
                try
                {
                    while (!stop.IsCancellationRequested)
                    {
                        await silent.Stream.WriteAsync(batch, stop.Token);
                    }
                }
                catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
                {
                    // Stopped, or the socket closed under it.
                }
            });
            await _victim.ProgressAsync();
            await stop.CancelAsync();
            silent.Stream.Socket.Close();
            await writer.WaitAsync(SecureConductor.Timeout);
        }

        await _victim.ProgressAsync();
    }

    private void AssertVictimRecordsAreExactlyItsAcknowledgedWrites()
    {
        foreach (Guid id in _victimInstances)
        {
            InstanceDocument stored = _conductor.Database.Instances.FindById(id);
            Assert.AreEqual(_victim.Instances[id], stored.ToInstance(), $"Instance {id} must be exactly B's last acknowledged write.");
        }

        ServiceDocument service = _conductor.Database.Services.FindById("compute-b");
        Assert.AreEqual(_victimRegistration.Binary, service.Binary);
        Assert.AreEqual(_victimRegistration.Version, service.Version);
        Assert.AreEqual(_victim.Heartbeat!.LastHeartbeatAtUtc, _conductor.Database.Liveness.LastHeartbeat(service));
        Assert.AreEqual(_victim.Node, _conductor.Database.ComputeNodes.FindById("compute-b").ToNode());

        InstanceActionDocument action = _conductor.Database.InstanceActions.FindById(_victimAction);
        Assert.AreEqual("compute-b", action.Host);
        Assert.IsNull(action.FinishedAtUtc, "A must not have finished B's action.");
        Assert.AreEqual(1, _conductor.Database.InstanceActions.Count(), "A must not have started actions on B's instances.");
        Assert.AreEqual(4, _conductor.Database.Instances.Count(), "A must not have created instances.");
    }

    private static void AssertNoInternals(RpcError error, string method)
    {
        // The method name is the caller's own words, echoed back; everything else is the conductor's.
        string text = (method.Length == 0 ? error.Message : error.Message.Replace(method, "METHOD", StringComparison.Ordinal)) + " " + (error.ErrorData?.ToString() ?? string.Empty);
        foreach (string leak in new[] { "System.", "Conductor.Host", "StreamJsonRpc", "   at ", "Exception", ".cs:line" })
        {
            Assert.IsFalse(text.Contains(leak, StringComparison.Ordinal), $"The error leaks '{leak}': {text}");
        }

        Assert.IsNull(error.ErrorData, "Errors carry no data.");
    }
}
