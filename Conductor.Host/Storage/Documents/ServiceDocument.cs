using Conductor.Abstractions.Compute;

namespace Conductor.Host.Storage.Documents;

/// <summary>The stored form of a <see cref="ServiceRecord"/>, keyed by host.</summary>
internal sealed class ServiceDocument
{
    /// <summary>Gets or sets the host name (the document id).</summary>
    public string Id { get; set; } = "";

    /// <summary>Gets or sets the binary.</summary>
    public string Binary { get; set; } = "";

    /// <summary>Gets or sets the binary's version.</summary>
    public string Version { get; set; } = "";

    /// <summary>Gets or sets whether the host takes no new instances.</summary>
    public bool Disabled { get; set; }

    /// <summary>Gets or sets when the service first registered.</summary>
    public DateTime CreatedAtUtc { get; set; }

    /// <summary>Gets or sets the last heartbeat.</summary>
    public DateTime LastHeartbeatAtUtc { get; set; }

    /// <summary>Gets or sets the API versions the host's last connection spoke.</summary>
    public Dictionary<string, string>? ApiVersions { get; set; }

    /// <summary>Copies the record, for a write to change without touching the one it was read from.</summary>
    /// <returns>The copy (its <see cref="ApiVersions"/> too).</returns>
    public ServiceDocument Copy()
    {
        var copy = (ServiceDocument)MemberwiseClone();
        copy.ApiVersions = ApiVersions is null ? null : new Dictionary<string, string>(ApiVersions, ApiVersions.Comparer);
        return copy;
    }

    /// <summary>Maps to the DTO.</summary>
    /// <returns>The record.</returns>
    public ServiceRecord ToRecord() => new()
    {
        Host = Id,
        Binary = Binary,
        Version = Version,
        Disabled = Disabled,
        CreatedAtUtc = DateTime.SpecifyKind(CreatedAtUtc, DateTimeKind.Utc),
        LastHeartbeatAtUtc = DateTime.SpecifyKind(LastHeartbeatAtUtc, DateTimeKind.Utc),
        ApiVersions = ApiVersions,
    };
}
