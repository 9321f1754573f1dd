using Conductor.Abstractions.Compute;

namespace Conductor.Host.Storage.Documents;

/// <summary>The stored form of a <see cref="ComputeNode"/>, keyed by host.</summary>
internal sealed class ComputeNodeDocument
{
    /// <summary>Gets or sets the host name (the document id).</summary>
    public string Id { get; set; } = "";

    /// <summary>Gets or sets the total virtual CPUs.</summary>
    public int VcpusTotal { get; set; }

    /// <summary>Gets or sets the total memory in MB.</summary>
    public int MemoryMbTotal { get; set; }

    /// <summary>Gets or sets the total disk in GB.</summary>
    public int DiskGbTotal { get; set; }

    /// <summary>Gets or sets the virtual CPUs the host reports in use.</summary>
    public int VcpusUsed { get; set; }

    /// <summary>Gets or sets the memory the host reports in use.</summary>
    public int MemoryMbUsed { get; set; }

    /// <summary>Gets or sets the disk the host reports in use.</summary>
    public int DiskGbUsed { get; set; }

    /// <summary>Gets or sets the hypervisor type.</summary>
    public string HypervisorType { get; set; } = "";

    /// <summary>Gets or sets when the host last reported.</summary>
    public DateTime UpdatedAtUtc { get; set; }

    /// <summary>Maps to the DTO.</summary>
    /// <returns>The node.</returns>
    public ComputeNode ToNode() => new()
    {
        Host = Id,
        VcpusTotal = VcpusTotal,
        MemoryMbTotal = MemoryMbTotal,
        DiskGbTotal = DiskGbTotal,
        VcpusUsed = VcpusUsed,
        MemoryMbUsed = MemoryMbUsed,
        DiskGbUsed = DiskGbUsed,
        HypervisorType = HypervisorType,
        UpdatedAtUtc = DateTime.SpecifyKind(UpdatedAtUtc, DateTimeKind.Utc),
    };
}
