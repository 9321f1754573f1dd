namespace Conductor.Abstractions.Compute;

/// <summary>A virtual machine placed on a compute host.</summary>
public sealed record Instance
{
    /// <summary>Gets the instance's identifier.</summary>
    public required Guid Id { get; init; }

    /// <summary>Gets the display name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the compute host the instance is placed on. Only the conductor's scheduler sets it.</summary>
    public required string Host { get; init; }

    /// <summary>Gets the resources the instance uses on its host.</summary>
    public required Flavor Flavor { get; init; }

    /// <summary>Gets the stable state.</summary>
    public required VmState VmState { get; init; }

    /// <summary>Gets the operation in progress.</summary>
    public required TaskState TaskState { get; init; }

    /// <summary>Gets the power state last reported by the host.</summary>
    public PowerState PowerState { get; init; }

    /// <summary>Gets when the instance was created (conductor clock, UTC).</summary>
    public required DateTime CreatedAtUtc { get; init; }

    /// <summary>Gets when the instance last changed (conductor clock, UTC).</summary>
    public required DateTime UpdatedAtUtc { get; init; }

    /// <summary>Gets when the host finished building it, if it has.</summary>
    public DateTime? LaunchedAtUtc { get; init; }

    /// <summary>Gets when it was deleted, if it was.</summary>
    public DateTime? DeletedAtUtc { get; init; }

    /// <summary>Gets a counter the conductor increments on every change.</summary>
    public required long Revision { get; init; }

    /// <summary>
    /// Gets the operator's key/value pairs given when the instance was created (Nova's instance metadata); empty when
    /// none were given. Added in instances 1.1 and admin.instances 1.1: connections on 1.0 never see it, and their
    /// updates leave it as it is.
    /// </summary>
    [ConductorSince(1, 1, Api = "instances")]
    [ConductorSince(1, 1, Api = "admin.instances")]
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>
    /// Compares every field by value, <see cref="Metadata"/> included (a record would compare the dictionaries by
    /// reference); no metadata and empty metadata are equal.
    /// </summary>
    /// <param name="other">The other instance.</param>
    /// <returns>Whether every field is equal.</returns>
    public bool Equals(Instance? other) =>
        other is not null
        && Id == other.Id
        && Name == other.Name
        && Host == other.Host
        && Flavor == other.Flavor
        && VmState == other.VmState
        && TaskState == other.TaskState
        && PowerState == other.PowerState
        && CreatedAtUtc == other.CreatedAtUtc
        && UpdatedAtUtc == other.UpdatedAtUtc
        && LaunchedAtUtc == other.LaunchedAtUtc
        && DeletedAtUtc == other.DeletedAtUtc
        && Revision == other.Revision
        && SameMetadata(Metadata, other.Metadata);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Id, Revision, VmState, TaskState);

    private static bool SameMetadata(IReadOnlyDictionary<string, string>? left, IReadOnlyDictionary<string, string>? right)
    {
        int count = left?.Count ?? 0;
        if (count != (right?.Count ?? 0))
        {
            return false;
        }

        foreach ((string key, string value) in left ?? Enumerable.Empty<KeyValuePair<string, string>>())
        {
            if (!right!.TryGetValue(key, out string? other) || !string.Equals(value, other, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
