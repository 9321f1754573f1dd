using Conductor.Host.Storage.Documents;

namespace Conductor.Host.Repositories;

/// <summary>Resources used by instances: a sum of flavors.</summary>
/// <param name="Vcpus">Virtual CPUs.</param>
/// <param name="MemoryMb">Memory in MB.</param>
/// <param name="DiskGb">Disk in GB.</param>
internal readonly record struct Usage(long Vcpus, long MemoryMb, long DiskGb)
{
    /// <summary>Gets what one instance uses.</summary>
    /// <param name="instance">The instance.</param>
    /// <returns>Its flavor as a usage.</returns>
    public static Usage Of(InstanceDocument instance) => new(instance.Vcpus, instance.MemoryMb, instance.DiskGb);

    /// <summary>Adds two usages.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The sum.</returns>
    public static Usage operator +(Usage left, Usage right) =>
        new(left.Vcpus + right.Vcpus, left.MemoryMb + right.MemoryMb, left.DiskGb + right.DiskGb);

    /// <summary>Negates a usage.</summary>
    /// <param name="value">The usage.</param>
    /// <returns>The negation.</returns>
    public static Usage operator -(Usage value) => new(-value.Vcpus, -value.MemoryMb, -value.DiskGb);
}
