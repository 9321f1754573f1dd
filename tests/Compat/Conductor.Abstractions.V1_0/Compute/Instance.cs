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
}
