using Conductor.Abstractions;
using Conductor.Abstractions.Wire;
using Microsoft.Extensions.Logging;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace Conductor.Host.Rpc;

/// <summary>
/// The conductor's side of one connection. It counts in-flight calls (so a stopping conductor can drain them) and
/// decides what an error tells the client: a <see cref="ConductorException"/>'s code and message, and for anything
/// else a generic sentence with a correlation id; never a stack trace or an internal type name.
/// </summary>
internal sealed partial class ConductorServerRpc : JsonRpc
{
    /// <summary>Marks, on its way out, the answer after which <see cref="CloseAfterRefusal"/> closes the connection.</summary>
    private static readonly object ClosingRefusal = new();

    private readonly ConductorServer _server;
    private readonly ILogger _logger;
    private readonly RpcSession _session;
    private Exception? _closingRefusal;

    public ConductorServerRpc(IJsonRpcMessageHandler handler, ConductorServer server, RpcSession session, ILogger logger)
        : base(handler)
    {
        Handler = handler;
        _server = server;
        _session = session;
        _logger = logger;
        AllowModificationWhileListening = true;
        CancelLocallyInvokedMethodsWhenConnectionIsClosed = true;

        // A connection's requests are dispatched on the thread pool as they arrive (the protocol promises no order:
        // docs/protocol.md, section 3), not through StreamJsonRpc's default one-at-a-time context, which queued every
        // request and its answer through one more hand-off. Measured alternating (benchmarks/README.md): durable
        // writes 8-15% faster sequentially and with 16 callers. The session's state is safe for that: the handshake
        // and authentication state change by interlocked steps, and repositories hold no per-call state.
        SynchronizationContext = null;
    }

    /// <summary>
    /// Closes the connection once <paramref name="refusal"/> has reached the client: the answer to the call that threw
    /// it is written and flushed first, then the connection closes. Tied to that answer, not to whichever answer
    /// happens to be sent next, because concurrent dispatch may still be sending an earlier call's answer. Should the
    /// refusal never be sent (the client left), the connection closes after <paramref name="bound"/> all the same.
    /// </summary>
    /// <param name="refusal">The exception the refused call throws right after this call.</param>
    /// <param name="bound">How long to wait at most for the refusal to be sent.</param>
    public void CloseAfterRefusal(Exception refusal, TimeSpan bound)
    {
        Volatile.Write(ref _closingRefusal, refusal);
        _ = CloseAfterAsync(bound);
    }

    /// <summary>Gets the connection's message handler, whose formatter the handshake switches to the settled versions.</summary>
    public IJsonRpcMessageHandler Handler { get; }

    protected override async ValueTask<JsonRpcMessage> DispatchRequestAsync(JsonRpcRequest request, TargetMethod targetMethod, CancellationToken cancellationToken)
    {
        _server.EnterCall();
        try
        {
            return await base.DispatchRequestAsync(request, targetMethod, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _server.ExitCall();
        }
    }

    /// <summary>
    /// Sends every outgoing message, after two corrections to the errors StreamJsonRpc builds by itself (for a
    /// method it cannot find, arguments it cannot bind, or an answer it cannot serialize), which bypass
    /// <see cref="CreateErrorDetails"/>: their <c>error.data</c> carries the exception chain with stack traces, which
    /// is dropped; and before the handshake has succeeded, "method not found" becomes
    /// <see cref="ConductorErrorCodes.HandshakeRequired"/>, which says what to do.
    /// </summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the message is written.</returns>
    protected override ValueTask SendAsync(JsonRpcMessage message, CancellationToken cancellationToken)
    {
        // Errors the conductor worded itself (WireErrors.Ours) go out as they are; the message handler drops every
        // error's data and rewords any other error (WireErrors.Sanitize).
        if (message is JsonRpcError { Error: { } closing } && ReferenceEquals(closing.Data, ClosingRefusal))
        {
            closing.Data = WireErrors.Ours;
            return SendThenCloseAsync(message, cancellationToken);
        }

        if (message is JsonRpcError { Error: { } detail } && !ReferenceEquals(detail.Data, WireErrors.Ours))
        {
            detail.Data = null;
            if (detail.Code == JsonRpcErrorCode.MethodNotFound && !_session.IsHandshaken)
            {
                detail.Code = (JsonRpcErrorCode)ConductorErrorCodes.HandshakeRequired;
                detail.Message = $"This connection has not completed its handshake. Call {ConductorWire.HelloMethod} and then {ConductorWire.HandshakeMethod} first: no other method is callable until they succeed.";
                detail.Data = WireErrors.Ours;
            }
        }

        return base.SendAsync(message, cancellationToken);
    }

    protected override JsonRpcError.ErrorDetail CreateErrorDetails(JsonRpcRequest request, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(request);
        Exception error = exception is System.Reflection.TargetInvocationException { InnerException: { } inner } ? inner : exception;
        JsonRpcError.ErrorDetail detail = Describe(request, error);

        // Marked as worded by the conductor, so the message handler sends it as is (and without data); a refusal that
        // closes the connection is marked as such, for SendAsync.
        detail.Data = ReferenceEquals(error, Volatile.Read(ref _closingRefusal)) ? ClosingRefusal : WireErrors.Ours;
        return detail;
    }

    private async ValueTask SendThenCloseAsync(JsonRpcMessage refusal, CancellationToken cancellationToken)
    {
        try
        {
            // Returns once the message handler has written and flushed the refusal to the connection's stream.
            await base.SendAsync(refusal, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Off this thread: StreamJsonRpc is still finishing the call whose answer this was.
            ThreadPool.QueueUserWorkItem(static rpc => rpc.Dispose(), this, preferLocal: false);
        }
    }

    private async Task CloseAfterAsync(TimeSpan bound)
    {
        await Task.WhenAny(Completion, Task.Delay(bound, _server.Clock)).ConfigureAwait(false);
        Dispose();
    }

    private JsonRpcError.ErrorDetail Describe(JsonRpcRequest request, Exception error)
    {
        switch (error)
        {
            case ConductorException conductor:
                return new JsonRpcError.ErrorDetail { Code = (JsonRpcErrorCode)conductor.ErrorCode, Message = conductor.Message };
            case System.Text.Json.JsonException json:
                return new JsonRpcError.ErrorDetail
                {
                    Code = JsonRpcErrorCode.InvalidParams,
                    Message = $"The arguments of {request.Method} could not be read{(json.Path is { Length: > 0 } path ? " at " + path : string.Empty)}. Send params as a positional array whose items match docs/protocol.md.",
                };
            case OperationCanceledException:
                return new JsonRpcError.ErrorDetail { Code = JsonRpcErrorCode.RequestCanceled, Message = "The call was cancelled." };
            case LocalRpcException local:
                return new JsonRpcError.ErrorDetail { Code = (JsonRpcErrorCode)local.ErrorCode, Message = local.Message };
            default:
                string correlation = Guid.NewGuid().ToString("N")[..12];
                LogUnexpected(_logger, error, request.Method ?? "(none)", _session.ConnectionId, correlation);
                return new JsonRpcError.ErrorDetail
                {
                    Code = (JsonRpcErrorCode)ConductorErrorCodes.Internal,
                    Message = $"The conductor failed to process {request.Method} because of an internal error (correlation id {correlation}). Nothing was acknowledged; ask the operator to look the id up in the conductor's log.",
                };
        }
    }

    [LoggerMessage(1, LogLevel.Error, "Unexpected error in {Method} on connection {ConnectionId} (correlation id {CorrelationId}).")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, string connectionId, string correlationId);
}
