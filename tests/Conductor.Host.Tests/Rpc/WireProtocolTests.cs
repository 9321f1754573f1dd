using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Conductor.Host.Tests.Rpc;

/// <summary>
/// The wire protocol as docs/protocol.md describes it, spoken by a client that knows nothing of .NET: hand-written
/// JSON-RPC frames on a raw socket to a real conductor. If one of these fails, either the conductor broke the
/// protocol or the document is wrong; fix whichever it is, never just the test.
/// </summary>
[TestClass]
public sealed partial class WireProtocolTests
{
    /// <summary>A compute host's handshake, declaring every compute API and the test API at 1.0.</summary>
    internal const string ComputeHandshake = """{"jsonrpc":"2.0","id":1,"method":"conductor.Handshake","params":[{"clientName":"raw-client/1.0","role":"compute","hostName":"compute-1","apis":{"services":"1.0","nodes":"1.0","instances":"1.0","instance-actions":"1.0","wire-test":"1.0"},"credentials":""}]}""";

    /// <summary>An operator's handshake, declaring the admin APIs at 1.0.</summary>
    internal const string AdminHandshake = """{"jsonrpc":"2.0","id":1,"method":"conductor.Handshake","params":[{"clientName":"raw-admin/1.0","role":"admin","hostName":"ops-1","apis":{"admin.instances":"1.0","admin.services":"1.0"}}]}""";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private CancellationTokenSource _timeout = null!;
    private WireConductor _conductor = null!;

    private CancellationToken Ct => _timeout.Token;

    [TestInitialize]
    public async Task StartAsync()
    {
        _timeout = new CancellationTokenSource(Timeout);
        _conductor = await WireConductor.StartAsync();
    }

    [TestCleanup]
    public async Task StopAsync()
    {
        await _conductor.DisposeAsync();
        _timeout.Dispose();
    }

    /// <summary>Opens a connection and completes the given handshake, failing if it is refused.</summary>
    private async Task<WireConnection> OpenAsync(string handshake = ComputeHandshake)
    {
        WireConnection connection = await _conductor.ConnectAsync(Ct);
        WireFrame answer = await connection.CallAsync(handshake, Ct);
        Assert.IsNotNull(answer.Json["result"], connection.Transcript);
        return connection;
    }

    /// <summary>Registers compute-1 and reports its capacity, so the admin API can place instances on it.</summary>
    private async Task<WireConnection> OpenRegisteredComputeAsync()
    {
        WireConnection compute = await OpenAsync();
        AssertResult(await compute.CallAsync("""{"jsonrpc":"2.0","id":2,"method":"services.Register","params":[{"binary":"raw-client","version":"1.0"}]}""", Ct));
        AssertResult(await compute.CallAsync("""{"jsonrpc":"2.0","id":3,"method":"nodes.Report","params":[{"vcpusTotal":8,"memoryMbTotal":16384,"diskGbTotal":100,"hypervisorType":"kvm"}]}""", Ct));
        return compute;
    }

    private static JsonObject AssertResult(WireFrame frame)
    {
        Assert.IsFalse(frame.Json.ContainsKey("error"), frame.Body);
        return frame.Result as JsonObject ?? throw new AssertFailedException($"Expected an object result, got {frame.Body}");
    }

    /// <summary>Asserts an error response: JSON-RPC 2.0, the request's id, the code, a message, and nothing else.</summary>
    private static void AssertError(WireFrame frame, JsonNode id, int code)
    {
        Assert.AreEqual("2.0", (string?)frame.Json["jsonrpc"], frame.Body);
        Assert.IsTrue(JsonNode.DeepEquals(id, frame.Json["id"]), $"Expected id {id.ToJsonString()}: {frame.Body}");
        Assert.IsFalse(frame.Json.ContainsKey("result"), frame.Body);
        Assert.AreEqual(code, frame.ErrorCode, frame.Body);
        Assert.IsFalse(string.IsNullOrWhiteSpace((string?)frame.Error["message"]), frame.Body);
        CollectionAssert.AreEquivalent(new[] { "code", "message" }, frame.Error.Select(p => p.Key).ToArray(), $"error has members other than code and message (no data is ever sent): {frame.Body}");
        Assert.IsFalse(Regex.IsMatch(frame.Body, @"\bat [A-Z][\w.]+\.\w+\(", RegexOptions.None, TimeSpan.FromSeconds(1)), $"A stack trace reached the client: {frame.Body}");
    }
}
