using System.Text.Json.Nodes;

namespace Conductor.Host.Tests.Rpc;

/// <content>Calls: method names, parameters, results and errors.</content>
public sealed partial class WireProtocolTests
{
    private const string MissingInstance = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";

    [TestMethod]
    public async Task Call_PositionalOrNamedParams_ReachTheMember()
    {
        await using WireConnection connection = await OpenAsync();

        WireFrame positional = await connection.CallAsync($$"""{"jsonrpc":"2.0","id":2,"method":"instances.Get","params":["{{MissingInstance}}"]}""", Ct);
        WireFrame named = await connection.CallAsync($$$"""{"jsonrpc":"2.0","id":3,"method":"instances.Get","params":{"instanceId":"{{{MissingInstance}}}"}}""", Ct);
        WireFrame upperCaseUuid = await connection.CallAsync($$"""{"jsonrpc":"2.0","id":4,"method":"instances.Get","params":["{{MissingInstance.ToUpperInvariant()}}"]}""", Ct);

        // NotFound comes from the repository, so the argument arrived.
        AssertError(positional, 2, 1001);
        AssertError(named, 3, 1001);
        AssertError(upperCaseUuid, 4, 1001);
        StringAssert.Contains((string?)positional.Error["message"], MissingInstance);
    }

    [TestMethod]
    [DataRow("""{"vcpusTotal":8,"memoryMbTotal":16384,"diskGbTotal":100,"hypervisorType":"kvm"}""", "the object itself as params")]
    [DataRow("""{"Report":{"vcpusTotal":8,"memoryMbTotal":16384,"diskGbTotal":100,"hypervisorType":"kvm"}}""", "a parameter name in another case")]
    [DataRow("""[{"vcpusTotal":8,"memoryMbTotal":16384,"diskGbTotal":100,"hypervisorType":"kvm"},1]""", "an extra argument")]
    [DataRow("""[{"vcpusTotal":8,"memoryMbTotal":16384,"diskGbTotal":100}]""", "a missing required field")]
    [DataRow("""[{"vcpusTotal":8.5,"memoryMbTotal":16384,"diskGbTotal":100,"hypervisorType":"kvm"}]""", "a fraction for an integer")]
    [DataRow("""[{"vcpusTotal":8,"memoryMbTotal":16384,"diskGbTotal":100,"hypervisorType":7}]""", "a number for a string")]
    public async Task Call_ParamsThatDoNotBind_AreInvalidParamsWithoutInternals(string parameters, string what)
    {
        await using WireConnection connection = await OpenAsync();

        WireFrame answer = await connection.CallAsync($$"""{"jsonrpc":"2.0","id":2,"method":"nodes.Report","params":{{parameters}}}""", Ct);

        AssertError(answer, 2, -32602);
        Assert.IsFalse(answer.Body.Contains("StreamJsonRpc.", StringComparison.Ordinal), $"{what}: {answer.Body}");
    }

    [TestMethod]
    public async Task Call_ValuesTheContractDoesNotAllow_AreInvalidParams()
    {
        await using WireConnection connection = await OpenAsync();

        WireFrame notUuid = await connection.CallAsync("""{"jsonrpc":"2.0","id":2,"method":"instances.Get","params":["3f2504e04f8911d39a0c0305e82c3301"]}""", Ct);
        WireFrame enumNumber = await connection.CallAsync($$"""{"jsonrpc":"2.0","id":3,"method":"instances.Update","params":[{"instanceId":"{{MissingInstance}}","expectedTaskState":2}]}""", Ct);
        WireFrame enumUnknown = await connection.CallAsync($$"""{"jsonrpc":"2.0","id":4,"method":"instances.Update","params":[{"instanceId":"{{MissingInstance}}","expectedTaskState":"resizing"}]}""", Ct);
        WireFrame badTime = await connection.CallAsync($$"""{"jsonrpc":"2.0","id":5,"method":"instances.Update","params":[{"instanceId":"{{MissingInstance}}","expectedTaskState":"spawning","launchedAtUtc":"yesterday"}]}""", Ct);

        AssertError(notUuid, 2, -32602);
        AssertError(enumNumber, 3, -32602);
        AssertError(enumUnknown, 4, -32602);
        AssertError(badTime, 5, -32602);
    }

    [TestMethod]
    public async Task Call_LenientInputs_AreAccepted()
    {
        await using WireConnection connection = await OpenAsync();

        // Numbers in strings, enum values and member names in any case, unknown members: all read.
        WireFrame answer = await connection.CallAsync($$"""{"jsonrpc":"2.0","id":2,"method":"instances.Update","params":[{"InstanceId":"{{MissingInstance}}","expectedTaskState":"Spawning","powerState":"RUNNING","comment":"ignored"}]}""", Ct);
        WireFrame page = await connection.CallAsync("""{"jsonrpc":"2.0","id":3,"method":"instances.List","params":[{"limit":"5"}]}""", Ct);

        AssertError(answer, 2, 1001);
        Assert.AreEqual("""{"items":[]}""", AssertResult(page).ToJsonString());
    }

    [TestMethod]
    [DataRow("instances.GetAsync")]
    [DataRow("instances.get")]
    [DataRow("Instances.Get")]
    [DataRow("GetAsync")]
    [DataRow("Get")]
    [DataRow("instances.ToString")]
    [DataRow("instances.GetHashCode")]
    [DataRow("instances.GetType")]
    [DataRow("instances.Dispose")]
    [DataRow("instances.FindOwned")]
    [DataRow("conductor.HandshakeAsync")]
    [DataRow("HandshakeAsync")]
    [DataRow("wire-test.CountAsync")]
    [DataRow("$/progress")]
    [DataRow("$/invokeProxy/0/Dispose")]
    [DataRow("$/enumerator/dispose")]
    public async Task Call_NamesOtherThanContractMembers_AreMethodNotFound(string method)
    {
        await using WireConnection connection = await OpenAsync();

        WireFrame answer = await connection.CallAsync($$"""{"jsonrpc":"2.0","id":2,"method":"{{method}}","params":["{{MissingInstance}}"]}""", Ct);

        AssertError(answer, 2, -32601);
    }

    [TestMethod]
    public async Task Call_ServerFailure_IsInternalWithACorrelationIdAndNoDetail()
    {
        await using WireConnection connection = await OpenAsync();

        WireFrame answer = await connection.CallAsync("""{"jsonrpc":"2.0","id":2,"method":"wire-test.Crash","params":[]}""", Ct);

        AssertError(answer, 2, 1099);
        StringAssert.Contains((string?)answer.Error["message"], "correlation id");
        Assert.IsFalse(answer.Body.Contains("frobnicator", StringComparison.Ordinal) || answer.Body.Contains("InvalidOperation", StringComparison.Ordinal), answer.Body);
    }

    [TestMethod]
    public async Task Call_IdsOfEitherType_AreEchoedAndNotificationsGetNoAnswer()
    {
        await using WireConnection connection = await OpenRegisteredComputeAsync();

        await connection.SendAsync("""{"jsonrpc":"2.0","method":"services.Heartbeat","params":[]}""", Ct);
        WireFrame byString = await connection.CallAsync("""{"jsonrpc":"2.0","id":"get-1","method":"services.Get","params":[]}""", Ct);
        WireFrame byNumber = await connection.CallAsync("""{"jsonrpc":"2.0","id":42,"method":"services.Get"}""", Ct);

        // The first frame after the notification is the answer to the next request: notifications get none.
        Assert.AreEqual("get-1", (string?)byString.Json["id"]);
        Assert.AreEqual(42, (int)byNumber.Json["id"]!);
        Assert.AreEqual("2.0", (string?)byNumber.Json["jsonrpc"]);
        Assert.AreEqual("compute-1", (string?)AssertResult(byNumber)["host"]);
    }

    [TestMethod]
    public async Task Result_Instance_IsCamelCaseWithEnumStringsUtcMillisecondTimesAndNoNulls()
    {
        await using WireConnection compute = await OpenRegisteredComputeAsync();
        await using WireConnection admin = await OpenAsync(AdminHandshake);
        const string Id = "0b9c5d2e-8a1f-4c3e-9d7a-5e6f7a8b9c0d";
        AssertResult(await admin.CallAsync($$"""{"jsonrpc":"2.0","id":2,"method":"admin.instances.Create","params":[{"name":"web-1","flavor":{"vcpus":2,"memoryMb":2048,"diskGb":20},"requestId":"{{Id}}"}]}""", Ct));

        // A time with an offset and sub-millisecond digits is stored and answered as UTC, truncated to milliseconds.
        WireFrame answer = await compute.CallAsync($$"""{"jsonrpc":"2.0","id":4,"method":"instances.Update","params":[{"instanceId":"{{Id}}","expectedTaskState":"scheduling","requestId":"5d3b2f1e-0000-4000-8000-000000000001","vmState":"active","taskState":"none","powerState":"running","launchedAtUtc":"2026-01-01T10:00:00.1239+02:00"}]}""", Ct);

        JsonObject instance = AssertResult(answer);
        CollectionAssert.AreEqual(
            new[] { "id", "name", "host", "flavor", "vmState", "taskState", "powerState", "createdAtUtc", "updatedAtUtc", "launchedAtUtc", "revision" },
            instance.Select(p => p.Key).ToArray(),
            "deletedAtUtc is null, so it is left out.");
        Assert.AreEqual(Id, (string?)instance["id"]);
        Assert.AreEqual("compute-1", (string?)instance["host"]);
        Assert.IsTrue(JsonNode.DeepEquals(JsonNode.Parse("""{"vcpus":2,"memoryMb":2048,"diskGb":20}"""), instance["flavor"]));
        Assert.AreEqual("active", (string?)instance["vmState"]);
        Assert.AreEqual("none", (string?)instance["taskState"]);
        Assert.AreEqual("running", (string?)instance["powerState"]);
        Assert.AreEqual("2026-01-01T08:00:00.123Z", (string?)instance["launchedAtUtc"]);
        StringAssert.Matches((string?)instance["updatedAtUtc"], s_time);
        Assert.AreEqual(2L, (long)instance["revision"]!);
    }

    [TestMethod]
    public async Task Call_UpdateWithAStaleExpectation_IsConflict()
    {
        await using WireConnection compute = await OpenRegisteredComputeAsync();
        await using WireConnection admin = await OpenAsync(AdminHandshake);
        const string Id = "0b9c5d2e-8a1f-4c3e-9d7a-5e6f7a8b9c0d";
        AssertResult(await admin.CallAsync($$"""{"jsonrpc":"2.0","id":2,"method":"admin.instances.Create","params":[{"name":"web-1","flavor":{"vcpus":1,"memoryMb":512,"diskGb":1},"requestId":"{{Id}}"}]}""", Ct));

        WireFrame answer = await compute.CallAsync($$"""{"jsonrpc":"2.0","id":4,"method":"instances.Update","params":[{"instanceId":"{{Id}}","expectedTaskState":"spawning","taskState":"none"}]}""", Ct);

        AssertError(answer, 4, 1002);
    }

    [TestMethod]
    public async Task Call_ListPages_AreChainedByNextPageTokenWhichTheLastPageOmits()
    {
        await using WireConnection compute = await OpenRegisteredComputeAsync();
        await using WireConnection admin = await OpenAsync(AdminHandshake);
        for (int i = 0; i < 3; i++)
        {
            AssertResult(await admin.CallAsync($$$"""{"jsonrpc":"2.0","id":{{{10 + i}}},"method":"admin.instances.Create","params":[{"name":"vm-{{{i}}}","flavor":{"vcpus":1,"memoryMb":512,"diskGb":1}}]}""", Ct));
        }

        JsonObject first = AssertResult(await compute.CallAsync("""{"jsonrpc":"2.0","id":4,"method":"instances.List","params":[{"limit":2}]}""", Ct));
        string token = (string?)first["nextPageToken"] ?? throw new AssertFailedException("The first page names the next one.");
        JsonObject second = AssertResult(await compute.CallAsync($$"""{"jsonrpc":"2.0","id":5,"method":"instances.List","params":[{"limit":2,"after":"{{token}}"}]}""", Ct));

        Assert.HasCount(2, first["items"]!.AsArray());
        Assert.HasCount(1, second["items"]!.AsArray());
        Assert.IsFalse(second.ContainsKey("nextPageToken"), second.ToJsonString());
        string[] ids = [.. first["items"]!.AsArray().Concat(second["items"]!.AsArray()).Select(i => (string)i!["id"]!)];
        CollectionAssert.AreEqual(ids.Order(StringComparer.Ordinal).ToArray(), ids, "Pages are in identifier order.");
    }

    [TestMethod]
    public async Task Cancel_RunningCall_IsAnsweredRequestCancelledAndTheMemberSeesIt()
    {
        await using WireConnection connection = await OpenAsync();

        await connection.SendAsync("""{"jsonrpc":"2.0","id":"slow-1","method":"wire-test.Wait","params":[]}""", Ct);
        await _conductor.Signals.WaitStarted.Task.WaitAsync(Ct);
        await connection.SendAsync("""{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":"slow-1"}}""", Ct);
        WireFrame answer = await connection.ReceiveAsync(Ct);

        AssertError(answer, "slow-1", -32800);
        Assert.IsTrue(await _conductor.Signals.WaitEnded.Task.WaitAsync(Ct), "The member's cancellation token fired.");
    }

    [TestMethod]
    public async Task Cancel_UnknownOrFinishedRequest_IsIgnored()
    {
        await using WireConnection connection = await OpenAsync();

        await connection.SendAsync("""{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":999}}""", Ct);
        await connection.SendAsync("""{"jsonrpc":"2.0","method":"$/cancelRequest","params":[1]}""", Ct);
        WireFrame answer = await connection.CallAsync("""{"jsonrpc":"2.0","id":2,"method":"nodes.Get","params":[]}""", Ct);

        AssertError(answer, 2, 1001);
    }

    [TestMethod]
    public async Task Answer_ToNoRequestOfTheConductor_ClosesTheConnection()
    {
        await using WireConnection connection = await OpenAsync();

        // docs/protocol.md, section 3: a client answers the conductor's pings and nothing else.
        await connection.SendAsync("""{"jsonrpc":"2.0","id":424242,"result":null}""", Ct);

        await connection.WaitForCloseAsync(Ct);
    }
}
