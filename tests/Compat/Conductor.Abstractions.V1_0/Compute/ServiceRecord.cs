namespace Conductor.Abstractions.Compute;

/// <summary>A compute host's service record.</summary>
public sealed record ServiceRecord
{
    /// <summary>Gets the host name (from the connection, never from a request).</summary>
    public required string Host { get; init; }

    /// <summary>Gets the binary that runs the service.</summary>
    public required string Binary { get; init; }

    /// <summary>Gets the binary's version.</summary>
    public required string Version { get; init; }

    /// <summary>Gets whether the host takes no new instances.</summary>
    public required bool Disabled { get; init; }

    /// <summary>Gets when the service first registered (conductor clock, UTC).</summary>
    public required DateTime CreatedAtUtc { get; init; }

    /// <summary>Gets when the conductor last heard a heartbeat (conductor clock, UTC).</summary>
    public required DateTime LastHeartbeatAtUtc { get; init; }

    /// <summary>Gets the API versions the host's last connection spoke: API name to <c>major.minor</c>.</summary>
    public IReadOnlyDictionary<string, string>? ApiVersions { get; init; }
}
