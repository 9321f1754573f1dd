using StreamJsonRpc.Protocol;

namespace Conductor.Host.Rpc;

/// <summary>
/// Keeps error responses to what the conductor chose to say. Errors the conductor builds carry <see cref="Ours"/> in
/// their data while on the way out; any other error (worded by StreamJsonRpc, which may name .NET types and
/// parameter lists) gets a fixed sentence for its code, and no error leaves with data.
/// </summary>
internal static class WireErrors
{
    /// <summary>Marks an error detail the conductor worded itself.</summary>
    public static readonly object Ours = new();

    public static JsonRpcError.ErrorDetail Create(int code, string message) => new() { Code = (JsonRpcErrorCode)code, Message = message, Data = Ours };

    public static JsonRpcError.ErrorDetail Create(JsonRpcErrorCode code, string message) => new() { Code = code, Message = message, Data = Ours };

    public static void Sanitize(JsonRpcError.ErrorDetail detail)
    {
        if (ReferenceEquals(detail.Data, Ours))
        {
            detail.Data = null;
            return;
        }

        detail.Data = null;
        detail.Message = detail.Code switch
        {
            JsonRpcErrorCode.MethodNotFound => "The conductor has no such method for this connection. Check the method name, and that the handshake announced the method's API.",
            JsonRpcErrorCode.InvalidParams => "The call's params do not match the member's parameters. Send params as a positional array whose items match the member's parameters (docs/protocol.md).",
            JsonRpcErrorCode.ParseError or JsonRpcErrorCode.InvalidRequest => "The message is not a valid JSON-RPC 2.0 request.",
            JsonRpcErrorCode.RequestCanceled => "The call was cancelled.",
            _ => "The conductor could not process the call. Nothing was acknowledged; retry it, and ask the operator to check the conductor's log if it keeps failing.",
        };
    }
}
