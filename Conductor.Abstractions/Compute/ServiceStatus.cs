namespace Conductor.Abstractions.Compute;

/// <summary>A service record with its liveness, as operators see it.</summary>
public sealed record ServiceStatus
{
    /// <summary>Gets the service record.</summary>
    public required ServiceRecord Service { get; init; }

    /// <summary>Gets whether the last heartbeat is younger than the conductor's down threshold.</summary>
    public required bool IsUp { get; init; }

    /// <summary>Gets the host's compute node record, if it has reported one.</summary>
    public ComputeNode? Node { get; init; }

    /// <summary>Gets the number of live (not deleted) instances placed on the host.</summary>
    public required int InstanceCount { get; init; }
}
