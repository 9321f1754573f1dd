using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Conductor.Abstractions.Wire;

/// <summary>
/// Writes <see cref="DateTime"/> values as UTC ISO 8601 with exactly three fractional digits
/// (<c>2026-11-25T13:20:24.123Z</c>) and reads any ISO 8601 time, converting it to UTC.
/// </summary>
public sealed class UtcDateTimeJsonConverter : JsonConverter<DateTime>
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <inheritdoc/>
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out DateTimeOffset value))
        {
            throw new JsonException("A time must be an ISO 8601 string such as \"2026-11-25T13:20:24.123Z\".");
        }

        return Truncate(value.UtcDateTime);
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        DateTime utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc);
        Span<char> buffer = stackalloc char[24];
        utc.TryFormat(buffer, out int written, Format, CultureInfo.InvariantCulture);
        writer.WriteStringValue(buffer[..written]);
    }

    /// <summary>Truncates a time to whole milliseconds, as stored and sent.</summary>
    /// <param name="value">The time.</param>
    /// <returns>The same time with sub-millisecond ticks removed, kind UTC.</returns>
    public static DateTime Truncate(DateTime value) =>
        new(value.Ticks - (value.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
}
