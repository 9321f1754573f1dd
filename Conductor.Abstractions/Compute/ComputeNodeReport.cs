namespace Conductor.Abstractions.Compute;

/// <summary>A compute host's report of its capacity and current usage.</summary>
public sealed record ComputeNodeReport : IWriteRequest
{
    /// <summary>Gets the total virtual CPUs the host offers.</summary>
    public required int VcpusTotal { get; init; }

    /// <summary>Gets the total memory in MB the host offers.</summary>
    public required int MemoryMbTotal { get; init; }

    /// <summary>Gets the total disk in GB the host offers.</summary>
    public required int DiskGbTotal { get; init; }

    /// <summary>Gets the virtual CPUs in use.</summary>
    public int VcpusUsed { get; init; }

    /// <summary>Gets the memory in MB in use.</summary>
    public int MemoryMbUsed { get; init; }

    /// <summary>Gets the disk in GB in use.</summary>
    public int DiskGbUsed { get; init; }

    /// <summary>Gets the hypervisor type (for example <c>simulated</c> or <c>kvm</c>).</summary>
    public required string HypervisorType { get; init; }

    /// <inheritdoc/>
    public Guid RequestId { get; init; } = Guid.CreateVersion7();
}
