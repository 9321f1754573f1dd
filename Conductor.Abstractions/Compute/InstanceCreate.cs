namespace Conductor.Abstractions.Compute;

/// <summary>An operator's request for a new instance. The conductor picks the host.</summary>
public sealed record InstanceCreate : IWriteRequest
{
    /// <summary>Gets the display name (1 to 255 characters).</summary>
    public required string Name { get; init; }

    /// <summary>Gets the resources the instance needs.</summary>
    public required Flavor Flavor { get; init; }

    /// <summary>
    /// Gets key/value pairs to keep with the instance (added in admin.instances 1.1): up to
    /// <see cref="InstanceMetadata.MaxItems"/> pairs, keys of 1 to <see cref="InstanceMetadata.MaxKeyLength"/> characters,
    /// values of up to <see cref="InstanceMetadata.MaxValueLength"/>, no control characters.
    /// </summary>
    [ConductorSince(1, 1)]
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Gets the new instance's identifier, which is also the retry key. New objects get a new one.</summary>
    public Guid RequestId { get; init; } = Guid.CreateVersion7();
}
