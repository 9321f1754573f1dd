using System.Text.Json;
using Conductor.Abstractions.Wire;
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
    public static IJsonRpcMessageHandler CreateMessageHandler(Stream stream) =>
        new HeaderDelimitedMessageHandler(stream, stream, CreateFormatter());

    /// <summary>Creates the message formatter for one connection (System.Text.Json with the wire's settings).</summary>
    /// <returns>The formatter; each connection needs its own.</returns>
    public static IJsonRpcMessageFormatter CreateFormatter() => new SystemTextJsonFormatter { JsonSerializerOptions = s_options };

    private static JsonSerializerOptions CreateFrozenOptions()
    {
        // Frozen once per process: the serializer's metadata cache lives on the options instance.
        JsonSerializerOptions options = ConductorWire.CreateJsonSerializerOptions();
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
