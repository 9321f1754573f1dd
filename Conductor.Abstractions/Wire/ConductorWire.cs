using System.Text.Json;
using System.Text.Json.Serialization;

namespace Conductor.Abstractions.Wire;

/// <summary>Constants and serializer settings of the wire protocol, shared by the conductor and its clients.</summary>
public static class ConductorWire
{
    /// <summary>The method every connection calls first.</summary>
    public const string HandshakeMethod = ApiNames.ConnectionApi + ".Handshake";

    /// <summary>
    /// The liveness check either side may send once the handshake has succeeded. It takes no parameters and answers
    /// <c>null</c>. A peer that answers nothing within the ping timeout is treated as gone and its connection closed;
    /// any answer, even an error, proves the peer is there.
    /// </summary>
    public const string PingMethod = ApiNames.ConnectionApi + ".Ping";

    /// <summary>The largest message either side accepts, in bytes.</summary>
    public const int DefaultMaxMessageBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Creates the System.Text.Json settings of the wire: camelCase property names, enums as camelCase strings,
    /// times as UTC ISO 8601 with millisecond precision, and nulls omitted.
    /// </summary>
    /// <returns>A new, unfrozen options instance.</returns>
    public static JsonSerializerOptions CreateJsonSerializerOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            MaxDepth = 32,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.Converters.Add(new UtcDateTimeJsonConverter());
        return options;
    }
}
