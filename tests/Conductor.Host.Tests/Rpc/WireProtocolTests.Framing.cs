using System.Text;
using System.Text.Json.Nodes;

namespace Conductor.Host.Tests.Rpc;

/// <content>Framing: Content-Length headers, UTF-8 bodies, and what a broken frame does.</content>
public sealed partial class WireProtocolTests
{
    [TestMethod]
    public async Task Frame_Answer_HasOnlyAContentLengthHeaderCountingUtf8Bytes()
    {
        await using WireConnection connection = await _conductor.ConnectAsync(Ct);

        WireFrame answer = await connection.CallAsync(ComputeHandshake, Ct);

        Assert.HasCount(1, answer.Headers, connection.Transcript);
        Assert.AreEqual("Content-Length", answer.Headers[0].Key);
        Assert.AreEqual(Encoding.UTF8.GetByteCount(answer.Body), int.Parse(answer.Headers[0].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [TestMethod]
    public async Task Frame_MultiByteUtf8Body_IsCountedInBytesAndAnsweredEscaped()
    {
        await using WireConnection connection = await OpenAsync();

        // "é" is two bytes in UTF-8: a Content-Length counting characters would cut the frame short.
        WireFrame answer = await connection.CallAsync("""{"jsonrpc":"2.0","id":2,"method":"services.Register","params":[{"binary":"compéte-host","version":"1.0-ß"}]}""", Ct);

        JsonObject record = AssertResult(answer);
        Assert.AreEqual("compéte-host", (string?)record["binary"]);
        Assert.AreEqual("1.0-ß", (string?)record["version"]);
        Assert.IsTrue(answer.Body.All(c => c < 0x80), $"The conductor escapes non-ASCII characters as \\uXXXX: {answer.Body}");
    }

    [TestMethod]
    public async Task Frame_ContentTypeUtf8AndUnknownHeaders_AreAccepted()
    {
        await using WireConnection connection = await _conductor.ConnectAsync(Ct);
        byte[] body = Encoding.UTF8.GetBytes(ComputeHandshake);

        await connection.SendRawAsync([.. Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\nX-Trace: 1\r\n\r\n"), .. body], Ct);
        WireFrame answer = await connection.ReceiveAsync(Ct);

        AssertResult(answer);
    }

    [TestMethod]
    [DataRow("lower-case header name")]
    [DataRow("LF line ends")]
    [DataRow("header line without a colon")]
    [DataRow("no Content-Length")]
    [DataRow("charset utf-16")]
    [DataRow("malformed JSON")]
    [DataRow("batch array")]
    [DataRow("response object")]
    public async Task Frame_Broken_ClosesThatConnectionOnly(string broken)
    {
        await using WireConnection bystander = await OpenAsync();
        await using WireConnection connection = await _conductor.ConnectAsync(Ct);
        string json = ComputeHandshake;
        byte[] frame = broken switch
        {
            "lower-case header name" => Encoding.ASCII.GetBytes($"content-length: {json.Length}\r\n\r\n{json}"),
            "LF line ends" => Encoding.ASCII.GetBytes($"Content-Length: {json.Length}\n\n{json}"),
            "header line without a colon" => Encoding.ASCII.GetBytes($"Content-Length: {json.Length}\r\nX-Flag\r\n\r\n{json}"),
            "no Content-Length" => Encoding.ASCII.GetBytes($"Content-Type: application/json\r\n\r\n{json}"),
            "charset utf-16" => [.. Encoding.ASCII.GetBytes($"Content-Length: {json.Length * 2}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-16\r\n\r\n"), .. Encoding.Unicode.GetBytes(json)],
            "malformed JSON" => Frame("""{"jsonrpc":"2.0","id":1,"method":"conductor.Handshake","""),
            "batch array" => Frame($"[{json}]"),
            "response object" => Frame("""{"jsonrpc":"2.0","id":1,"result":true}"""),
            _ => throw new ArgumentOutOfRangeException(nameof(broken)),
        };

        await connection.SendRawAsync(frame, Ct);

        await connection.WaitForCloseAsync(Ct);
        AssertResult(await bystander.CallAsync("""{"jsonrpc":"2.0","id":2,"method":"services.Register","params":[{"binary":"raw-client","version":"1.0"}]}""", Ct));
        await using WireConnection next = await OpenAsync();
    }

    private static byte[] Frame(string json)
    {
        byte[] body = Encoding.UTF8.GetBytes(json);
        return [.. Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"), .. body];
    }
}
