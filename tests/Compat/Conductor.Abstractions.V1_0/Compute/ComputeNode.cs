namespace Conductor.Abstractions.Compute;

/// <summary>The conductor's record of a compute host's capacity and usage.</summary>
public sealed record ComputeNode
{
    /// <summary>Gets the host name.</summary>
    public required string Host { get; init; }

    /// <summary>Gets the total virtual CPUs.</summary>
    public required int VcpusTotal { get; init; }

    /// <summary>Gets the total memory in MB.</summary>
    public required int MemoryMbTotal { get; init; }

    /// <summary>Gets the total disk in GB.</summary>
    public required int DiskGbTotal { get; init; }

    /// <summary>Gets the virtual CPUs the host reports in use.</summary>
    public required int VcpusUsed { get; init; }

    /// <summary>Gets the memory in MB the host reports in use.</summary>
    public required int MemoryMbUsed { get; init; }

    /// <summary>Gets the disk in GB the host reports in use.</summary>
    public required int DiskGbUsed { get; init; }

    /// <summary>Gets the hypervisor type.</summary>
    public required string HypervisorType { get; init; }

    /// <summary>Gets when the host last reported (conductor clock, UTC).</summary>
    public required DateTime UpdatedAtUtc { get; init; }
}
