using System.IO.Pipelines;
using System.Text.Json;
using Conductor.Abstractions.Wire;
using Conductor.Proxy.Internal;
using StreamJsonRpc;

namespace Conductor.Proxy;

/// <summary>
/// The wire format, shared by the proxy and the conductor: JSON-RPC 2.0 with <c>Content-Length</c> header framing
/// and System.Text.Json using <see cref="ConductorWire.CreateJsonSerializerOptions"/>.
/// </summary>
public static class ConductorWireFormat
{
    private static readonly JsonSerializerOptions s_options = CreateFrozenOptions();

    /// <summary>Creates the message handler for one connection over a duplex stream.</summary>
    /// <param name="stream">The connection's stream; the handler owns it.</param>
    /// <returns>The handler to give to a <see cref="JsonRpc"/>.</returns>
    /// <remarks>
    /// The handler reads and writes the stream through <see cref="PipeReader.Create(Stream, StreamPipeReaderOptions?)"/>
    /// and <see cref="PipeWriter.Create(Stream, StreamPipeWriterOptions?)"/>, which call the stream on the reading and
    /// flushing threads themselves. Given the stream itself, StreamJsonRpc would put a pipe in front of it whose
    /// background task copies every message to the stream: one more thread hand-off per message sent, which on these
    /// machines is most of what a call costs (<c>benchmarks/README.md</c>, "Where the time goes").
    /// </remarks>
    public static IJsonRpcMessageHandler CreateMessageHandler(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new HeaderDelimitedMessageHandler(
            PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: false)),
            PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: false)),
            CreateFormatter());
    }

    /// <summary>Creates the message formatter for one connection (System.Text.Json with the wire's settings).</summary>
    /// <returns>The formatter; each connection needs its own. The contract types' serializer metadata is shared by all of them.</returns>
    public static IJsonRpcMessageFormatter CreateFormatter() => new SystemTextJsonFormatter { JsonSerializerOptions = SharedContractMetadata.ForConnections(s_options) };

    /// <summary>
    /// Switches the serializer options of a connection's handler, for example to the backport options of the API
    /// versions the connection settled on. Call it once, when the versions are settled, before the connection carries
    /// any call that uses them.
    /// </summary>
    /// <param name="handler">A handler made by <see cref="CreateMessageHandler"/>.</param>
    /// <param name="options">The options to use from now on. Frozen options (as the backports are) are shared: their
    /// metadata serves every connection given them.</param>
    /// <exception cref="NotSupportedException">The handler does not use the System.Text.Json formatter.</exception>
    public static void UseSerializerOptions(IJsonRpcMessageHandler handler, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(options);
        if (handler.Formatter is not SystemTextJsonFormatter formatter)
        {
            throw new NotSupportedException(
                $"The connection uses {handler.Formatter.GetType().Name}, but backporting replies to an older client's API versions needs the System.Text.Json formatter. " +
                "Use JSON for clients that speak older versions.");
        }

        formatter.JsonSerializerOptions = options.IsReadOnly ? SharedContractMetadata.ForConnections(options) : options;
    }

    private static JsonSerializerOptions CreateFrozenOptions()
    {
        // Frozen once per process: the serializer's metadata cache lives on the options instance.
        JsonSerializerOptions options = ConductorWire.CreateJsonSerializerOptions();
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
