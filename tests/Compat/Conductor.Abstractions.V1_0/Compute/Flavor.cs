namespace Conductor.Abstractions.Compute;

/// <summary>The resources an instance needs on its host.</summary>
public sealed record Flavor
{
    /// <summary>Gets the number of virtual CPUs.</summary>
    public required int Vcpus { get; init; }

    /// <summary>Gets the memory in MB.</summary>
    public required int MemoryMb { get; init; }

    /// <summary>Gets the root disk in GB.</summary>
    public required int DiskGb { get; init; }
}
