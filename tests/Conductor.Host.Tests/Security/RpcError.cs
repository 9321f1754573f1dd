namespace Conductor.Host.Tests.Security;

/// <summary>A JSON-RPC error as the conductor sent it.</summary>
/// <param name="ErrorCode">The code.</param>
/// <param name="Message">The message.</param>
/// <param name="ErrorData">The data, which the conductor never sends.</param>
internal sealed record RpcError(int ErrorCode, string Message, object? ErrorData);
