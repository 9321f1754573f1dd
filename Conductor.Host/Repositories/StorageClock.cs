using Conductor.Abstractions.Wire;

namespace Conductor.Host.Repositories;

/// <summary>The conductor's clock as stored: UTC, whole milliseconds.</summary>
internal static class StorageClock
{
    /// <summary>Returns the current time, truncated to milliseconds.</summary>
    /// <param name="time">The conductor's time provider.</param>
    /// <returns>The time.</returns>
    public static DateTime Now(TimeProvider time) => UtcDateTimeJsonConverter.Truncate(time.GetUtcNow().UtcDateTime);
}
