using System.Text.Json;
using Conductor.Abstractions.Wire;

namespace Conductor.Abstractions.Tests.Wire;

/// <summary>Times on the wire: UTC ISO 8601 with exactly three fractional digits, whatever the kind or precision given.</summary>
[TestClass]
public sealed class UtcDateTimeJsonConverterTests
{
    private static readonly JsonSerializerOptions s_options = new() { Converters = { new UtcDateTimeJsonConverter() } };

    [TestMethod]
    [DataRow(2026, 11, 25, 13, 20, 24, 123, "\"2026-11-25T13:20:24.123Z\"")]
    [DataRow(2026, 1, 2, 3, 4, 5, 6, "\"2026-01-02T03:04:05.006Z\"")]
    [DataRow(1, 1, 1, 0, 0, 0, 0, "\"0001-01-01T00:00:00.000Z\"")]
    [DataRow(9999, 12, 31, 23, 59, 59, 999, "\"9999-12-31T23:59:59.999Z\"")]
    public void Write_UtcTime_IsIso8601WithThreeFractionalDigits(int year, int month, int day, int hour, int minute, int second, int millisecond, string expected)
    {
        var time = new DateTime(year, month, day, hour, minute, second, millisecond, DateTimeKind.Utc);

        Assert.AreEqual(expected, JsonSerializer.Serialize(time, s_options));
    }

    [TestMethod]
    public void Write_SubMillisecondTicks_AreTruncatedNotRounded()
    {
        var time = new DateTime(2026, 11, 25, 13, 20, 24, 123, DateTimeKind.Utc).AddTicks(9_999);

        Assert.AreEqual("\"2026-11-25T13:20:24.123Z\"", JsonSerializer.Serialize(time, s_options));
    }

    [TestMethod]
    public void Write_UnspecifiedKind_IsTakenAsUtc()
    {
        var unspecified = new DateTime(2026, 11, 25, 13, 20, 24, 123, DateTimeKind.Unspecified);

        Assert.AreEqual("\"2026-11-25T13:20:24.123Z\"", JsonSerializer.Serialize(unspecified, s_options));
    }

    [TestMethod]
    public void Read_WhatWriteWrote_IsTheSameUtcTime()
    {
        var time = new DateTime(2026, 11, 25, 13, 20, 24, 123, DateTimeKind.Utc);

        DateTime read = JsonSerializer.Deserialize<DateTime>(JsonSerializer.Serialize(time, s_options), s_options);

        Assert.AreEqual(time, read);
        Assert.AreEqual(DateTimeKind.Utc, read.Kind);
    }

    [TestMethod]
    public void Read_OffsetTime_IsConvertedToUtc()
    {
        DateTime read = JsonSerializer.Deserialize<DateTime>("\"2026-11-25T14:20:24.123+01:00\"", s_options);

        Assert.AreEqual(new DateTime(2026, 11, 25, 13, 20, 24, 123, DateTimeKind.Utc), read);
    }

    [TestMethod]
    public void Read_NotAString_ThrowsJsonExceptionNamingTheFormat()
    {
        var ex = Assert.ThrowsExactly<JsonException>(() => JsonSerializer.Deserialize<DateTime>("12345", s_options));

        StringAssert.Contains(ex.Message, "ISO 8601");
    }
}
