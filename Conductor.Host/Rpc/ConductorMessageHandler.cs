using System.IO.Pipelines;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;
using StreamJsonRpc.Reflection;

namespace Conductor.Host.Rpc;

/// <summary>
/// The conductor's framing of one connection: <c>Content-Length</c> header-delimited JSON-RPC (as the proxy and any
/// LSP-style client speak it) with the wire's defences built in:
/// <list type="bullet">
/// <item>a frame over the size limit closes the connection (<see cref="BoundedPipeReader"/>);</item>
/// <item>at most a fixed number of requests in flight: the next request is not even read until an answer has been
/// written, so a flooding client only fills its own socket;</item>
/// <item>a gate that sees every request before StreamJsonRpc does and may answer it with an error instead (calls
/// before authentication, members the connection may not call, unknown methods);</item>
/// <item>every error sent is one the conductor worded: messages StreamJsonRpc builds itself (which can name .NET
/// types) are replaced, and error data (which can carry stack traces) is never sent.</item>
/// </list>
/// </summary>
internal sealed class ConductorMessageHandler : HeaderDelimitedMessageHandler
{
    private readonly BoundedPipeReader _reader;
    private readonly SemaphoreSlim _slots;
    private readonly int _maxInFlight;

    public ConductorMessageHandler(PipeWriter writer, BoundedPipeReader reader, IJsonRpcMessageFormatter formatter, int maxInFlight)
        : base(writer, reader, formatter)
    {
        _reader = reader;
        _maxInFlight = maxInFlight;
        _slots = new SemaphoreSlim(maxInFlight, maxInFlight);
    }

    /// <summary>Gets or sets the gate: returns the error to answer a request with, or <see langword="null"/> to dispatch it.</summary>
    public Func<JsonRpcRequest, JsonRpcError.ErrorDetail?>? Gate { get; set; }

    /// <summary>Gets or sets what to do when a frame closes the connection (too large, malformed): gets the reason.</summary>
    public Action<string>? FrameRejected { get; set; }

    /// <summary>Gets or sets the largest message accepted.</summary>
    public int MaxMessageBytes
    {
        get => _reader.MaxMessageBytes;
        set => _reader.MaxMessageBytes = value;
    }

    /// <summary>Creates the handler over a connection's stream.</summary>
    /// <param name="stream">The stream; the caller disposes it after the connection ends.</param>
    /// <param name="formatter">The message formatter.</param>
    /// <param name="maxMessageBytes">The initial message size limit.</param>
    /// <param name="maxInFlight">The most requests in flight at once.</param>
    /// <returns>The handler.</returns>
    public static ConductorMessageHandler Create(Stream stream, IJsonRpcMessageFormatter formatter, int maxMessageBytes, int maxInFlight) =>
        new(
            PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true)),
            new BoundedPipeReader(PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true)), maxMessageBytes),
            formatter,
            maxInFlight);

    protected override async ValueTask<JsonRpcMessage?> ReadCoreAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            JsonRpcMessage? message;
            try
            {
                message = await base.ReadCoreAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Release();
                FrameRejected?.Invoke(Describe(ex));
                throw;
            }

            if (message is not JsonRpcRequest request)
            {
                // End of stream, or a response to a call of ours: nothing will be answered.
                Release();
                return message;
            }

            if (!request.IsResponseExpected)
            {
                Release();
            }

            JsonRpcError.ErrorDetail? refusal = Gate?.Invoke(request);
            if (refusal is null)
            {
                return request;
            }

            // Never dispatched: release its buffer here, as StreamJsonRpc would after reading its arguments.
            ((IJsonRpcMessageBufferManager)this).DeserializationComplete(request);
            if (request.IsResponseExpected)
            {
                JsonRpcError error = (Formatter as IJsonRpcMessageFactory)?.CreateErrorMessage() ?? new JsonRpcError();
                error.RequestId = request.RequestId;
                error.Error = refusal;
                await WriteAsync(error, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    protected override void Write(JsonRpcMessage content, CancellationToken cancellationToken)
    {
        if (content is JsonRpcError { Error: { } detail })
        {
            WireErrors.Sanitize(detail);
        }

        try
        {
            base.Write(content, cancellationToken);
        }
        finally
        {
            if (content is JsonRpcResult or JsonRpcError)
            {
                Release();
            }
        }
    }

    private static string Describe(Exception exception) => exception switch
    {
        MessageTooLargeException tooLarge => $"a frame was larger than {tooLarge.Limit} bytes",
        BadRpcHeaderException header => "a frame's header was malformed (" + header.Message.TrimEnd('.') + ")",
        System.Text.Json.JsonException => "a frame's content was not a JSON-RPC message",
        EndOfStreamException => "the peer closed the connection in the middle of a frame",
        _ => "reading a frame failed (" + exception.GetType().Name + ")",
    };

    private void Release()
    {
        // A response without a request of ours (which StreamJsonRpc may send for a malformed message) must not
        // push the count past the limit.
        if (_slots.CurrentCount < _maxInFlight)
        {
            _slots.Release();
        }
    }
}
