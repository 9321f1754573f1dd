using System.Text.Json.Nodes;

namespace Conductor.Host.Tests.Rpc;

/// <summary>One frame read off the wire: its headers in order, its body as sent, and the body parsed.</summary>
/// <param name="Headers">The header lines, name and trimmed value.</param>
/// <param name="Body">The body text, exactly as received.</param>
/// <param name="Json">The body parsed as a JSON object.</param>
internal sealed record WireFrame(IReadOnlyList<KeyValuePair<string, string>> Headers, string Body, JsonObject Json)
{
    /// <summary>Gets the <c>error</c> member, failing if the frame is not an error response.</summary>
    public JsonObject Error => Json["error"] as JsonObject ?? throw new AssertFailedException($"Expected an error response, got {Body}");

    /// <summary>Gets the <c>result</c> member, failing if the frame is not a successful response.</summary>
    public JsonNode? Result => Json.ContainsKey("result") ? Json["result"] : throw new AssertFailedException($"Expected a result, got {Body}");

    /// <summary>Gets the error code, failing if the frame is not an error response.</summary>
    public int ErrorCode => (int)Error["code"]!;
}
