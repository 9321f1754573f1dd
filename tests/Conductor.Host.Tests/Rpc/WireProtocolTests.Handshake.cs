using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Conductor.Host.Tests.Rpc;

/// <content>The handshake: what it settles, what it refuses, and the rule that nothing else comes first.</content>
public sealed partial class WireProtocolTests
{
    private static readonly Regex s_time = new(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", RegexOptions.None, TimeSpan.FromSeconds(1));

    [TestMethod]
    public async Task Handshake_Compute_SettlesTheServedVersionOfEachDeclaredApiOfItsRole()
    {
        await using WireConnection connection = await _conductor.ConnectAsync(Ct);

        // A newer minor is settled down to the served one; an unknown API and an admin API are left out.
        WireFrame answer = await connection.CallAsync("""{"jsonrpc":"2.0","id":7,"method":"conductor.Handshake","params":[{"clientName":"raw-client/2.3","role":"compute","hostName":"compute-1","apis":{"instances":"1.4","services":"1.0","no-such-api":"3.1","admin.instances":"1.0"},"credentials":""}]}""", Ct);

        JsonObject result = AssertResult(answer);
        Assert.AreEqual(7, (int)answer.Json["id"]!);
        CollectionAssert.AreEquivalent(new[] { "serverName", "connectionId", "apis", "serverTimeUtc" }, result.Select(p => p.Key).ToArray());
        StringAssert.StartsWith((string?)result["serverName"], "conductor/");
        StringAssert.Matches((string?)result["connectionId"], new Regex("^c[0-9]+$", RegexOptions.None, TimeSpan.FromSeconds(1)));
        Assert.IsTrue(JsonNode.DeepEquals(JsonNode.Parse("""{"instances":"1.1","services":"1.0"}"""), result["apis"]), answer.Body);
        StringAssert.Matches((string?)result["serverTimeUtc"], s_time);
    }

    [TestMethod]
    public async Task Handshake_Admin_ExposesAdminApisOnly()
    {
        await using WireConnection admin = await _conductor.ConnectAsync(Ct);

        WireFrame answer = await admin.CallAsync("""{"jsonrpc":"2.0","id":1,"method":"conductor.Handshake","params":[{"clientName":"raw-admin/1.0","role":"admin","hostName":"ops-1","apis":{"admin.instances":"1.0","admin.services":"1.0","instances":"1.0"}}]}""", Ct);
        WireFrame list = await admin.CallAsync("""{"jsonrpc":"2.0","id":2,"method":"admin.services.List","params":[]}""", Ct);
        WireFrame compute = await admin.CallAsync("""{"jsonrpc":"2.0","id":3,"method":"instances.List","params":[{}]}""", Ct);

        Assert.IsTrue(JsonNode.DeepEquals(JsonNode.Parse("""{"admin.instances":"1.0","admin.services":"1.0"}"""), AssertResult(answer)["apis"]), answer.Body);
        Assert.AreEqual("[]", list.Result!.ToJsonString());
        AssertError(compute, 3, -32601);
    }

    [TestMethod]
    public async Task Handshake_ComputeRole_CannotCallAdminApis()
    {
        await using WireConnection compute = await OpenAsync("""{"jsonrpc":"2.0","id":1,"method":"conductor.Handshake","params":[{"clientName":"raw-client/1.0","role":"compute","hostName":"compute-1","apis":{"instances":"1.0","admin.instances":"1.0"}}]}""");

        WireFrame answer = await compute.CallAsync("""{"jsonrpc":"2.0","id":2,"method":"admin.instances.List","params":[{}]}""", Ct);

        AssertError(answer, 2, -32601);
    }

    [TestMethod]
    public async Task Call_BeforeHandshake_IsRefusedWithHandshakeRequiredAndTheHandshakeStillWorks()
    {
        await using WireConnection connection = await _conductor.ConnectAsync(Ct);

        WireFrame early = await connection.CallAsync("""{"jsonrpc":"2.0","id":1,"method":"instances.Get","params":["3f2504e0-4f89-11d3-9a0c-0305e82c3301"]}""", Ct);
        WireFrame unknown = await connection.CallAsync("""{"jsonrpc":"2.0","id":2,"method":"no.Such","params":[]}""", Ct);
        WireFrame handshake = await connection.CallAsync(ComputeHandshake, Ct);

        AssertError(early, 1, 1010);
        StringAssert.Contains((string?)early.Error["message"], "conductor.Handshake");
        AssertError(unknown, 2, 1010);
        AssertResult(handshake);
    }

    [TestMethod]
    public async Task Handshake_SentTwice_IsRefusedAndTheConnectionKeepsWorking()
    {
        await using WireConnection connection = await OpenAsync();

        WireFrame second = await connection.CallAsync(ComputeHandshake.Replace("\"id\":1", "\"id\":2", StringComparison.Ordinal), Ct);
        WireFrame call = await connection.CallAsync("""{"jsonrpc":"2.0","id":3,"method":"services.Register","params":[{"binary":"raw-client","version":"1.0"}]}""", Ct);

        AssertError(second, 2, 1010);
        AssertResult(call);
    }

    [TestMethod]
    public async Task Handshake_ParamsByName_IsAccepted()
    {
        await using WireConnection connection = await _conductor.ConnectAsync(Ct);

        WireFrame answer = await connection.CallAsync("""{"jsonrpc":"2.0","id":1,"method":"conductor.Handshake","params":{"request":{"clientName":"raw-client/1.0","role":"compute","hostName":"compute-1","apis":{"nodes":"1.0"}}}}""", Ct);

        Assert.IsTrue(JsonNode.DeepEquals(JsonNode.Parse("""{"nodes":"1.0"}"""), AssertResult(answer)["apis"]), answer.Body);
    }

    [TestMethod]
    [DataRow("""{"clientName":"c","role":"compute","hostName":"bad host","apis":{}}""", 1007, "hostName")]
    [DataRow("""{"clientName":"","role":"compute","hostName":"compute-1","apis":{}}""", 1007, "clientName")]
    [DataRow("""{"clientName":"c","role":"compute","hostName":"compute-1","apis":{"instances":"one"}}""", 1007, "major.minor")]
    [DataRow("""{"clientName":"c","role":"compute","hostName":"compute-1","apis":{"instances":"2.0"}}""", 1005, "upgrade the conductor first")]
    [DataRow("""{"clientName":"c","role":"compute","hostName":"compute-1","apis":{"instances":"0.9"}}""", 1005, "This compute host is too old for this conductor")]
    public async Task Handshake_Refused_AnswersTheCodeThenClosesTheConnection(string request, int code, string messagePart)
    {
        await using WireConnection connection = await _conductor.ConnectAsync(Ct);

        WireFrame answer = await connection.CallAsync($$"""{"jsonrpc":"2.0","id":1,"method":"conductor.Handshake","params":[{{request}}]}""", Ct);

        AssertError(answer, 1, code);
        StringAssert.Contains((string?)answer.Error["message"], messagePart);
        await connection.WaitForCloseAsync(Ct);
    }

    [TestMethod]
    [DataRow("""[{"clientName":"c","role":1,"hostName":"compute-1","apis":{}}]""")]
    [DataRow("""[{"clientName":"c","role":"compute","hostName":"compute-1"}]""")]
    [DataRow("""{"clientName":"c","role":"compute","hostName":"compute-1","apis":{}}""")]
    [DataRow("""[]""")]
    public async Task Handshake_Unreadable_IsInvalidParamsAndMayBeSentAgain(string parameters)
    {
        await using WireConnection connection = await _conductor.ConnectAsync(Ct);

        WireFrame answer = await connection.CallAsync($$"""{"jsonrpc":"2.0","id":1,"method":"conductor.Handshake","params":{{parameters}}}""", Ct);
        WireFrame retry = await connection.CallAsync(ComputeHandshake.Replace("\"id\":1", "\"id\":2", StringComparison.Ordinal), Ct);

        AssertError(answer, 1, -32602);
        AssertResult(retry);
    }

    [TestMethod]
    public async Task Handshake_NotSentWithinTheDeadline_ClosesTheConnection()
    {
        await using WireConductor conductor = await WireConductor.StartAsync(o => o.HandshakeTimeout = TimeSpan.FromMilliseconds(300));
        await using WireConnection silent = await conductor.ConnectAsync(Ct);

        await silent.WaitForCloseAsync(Ct);

        Assert.AreEqual(string.Empty, silent.Transcript, "The conductor closes a silent connection without sending anything.");
    }

    [TestMethod]
    public async Task Handshake_OverTheUnixSocket_WorksAsOverTcp()
    {
        await using WireConnection connection = await WireConnection.ConnectAsync(_conductor.Unix, Ct);

        WireFrame answer = await connection.CallAsync(ComputeHandshake, Ct);
        WireFrame call = await connection.CallAsync("""{"jsonrpc":"2.0","id":2,"method":"nodes.Get","params":[]}""", Ct);

        AssertResult(answer);
        AssertError(call, 2, 1001);
    }

    [TestMethod]
    public async Task EndpointsFile_NamesTheListeningEndpointsAndProcess()
    {
        string path = Path.Combine(_conductor.DataDirectory, "conductor.endpoints.json");

        JsonObject file = JsonNode.Parse(await File.ReadAllTextAsync(path, Ct))!.AsObject();

        CollectionAssert.AreEquivalent(new[] { "tcp", "unix", "processId" }, file.Select(p => p.Key).ToArray());
        Assert.AreEqual($"tcp://127.0.0.1:{_conductor.Tcp.Port.ToString(CultureInfo.InvariantCulture)}", (string?)file["tcp"]);
        Assert.AreEqual("unix:" + Path.Combine(_conductor.DataDirectory, "conductor.sock"), (string?)file["unix"]);
        Assert.AreEqual(Environment.ProcessId, (int)file["processId"]!);
    }
}
