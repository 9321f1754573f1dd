using System.Text.Json;
using Conductor.Abstractions.Wire;
using StreamJsonRpc;

namespace Conductor.Proxy.Internal;

/// <summary>Creates the message handler of the wire: header-delimited framing with System.Text.Json.</summary>
internal static class RpcFormatters
{
    private static readonly JsonSerializerOptions s_options = CreateFrozenOptions();

    public static IJsonRpcMessageHandler CreateHandler(Stream stream) =>
        new HeaderDelimitedMessageHandler(stream, stream, new SystemTextJsonFormatter { JsonSerializerOptions = s_options });

    private static JsonSerializerOptions CreateFrozenOptions()
    {
        JsonSerializerOptions options = ConductorWire.CreateJsonSerializerOptions();
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
