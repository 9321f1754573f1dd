using Conductor.Abstractions.Compute;
using Conductor.Host.Storage;
using Conductor.Host.Storage.Documents;
using LiteDB;

namespace Conductor.Host.Repositories;

/// <summary>A host's free capacity as the conductor accounts it.</summary>
/// <param name="Host">The host.</param>
/// <param name="Vcpus">Free virtual CPUs.</param>
/// <param name="MemoryMb">Free memory in MB.</param>
/// <param name="DiskGb">Free disk in GB.</param>
internal sealed record HostCapacity(string Host, long Vcpus, long MemoryMb, long DiskGb)
{
    /// <summary>Computes a node's totals minus what the live instances placed on it use. Call inside a write.</summary>
    /// <param name="db">The database.</param>
    /// <param name="node">The node.</param>
    /// <returns>The free capacity.</returns>
    public static HostCapacity Free(LiteDbConductorDatabase db, ComputeNodeDocument node)
    {
        Usage used = db.HostUsage.Of(node.Id);
        return new HostCapacity(node.Id, node.VcpusTotal - used.Vcpus, node.MemoryMbTotal - used.MemoryMb, node.DiskGbTotal - used.DiskGb);
    }

    /// <summary>Reads the live instances of a host through the live host-key index.</summary>
    /// <param name="db">The database.</param>
    /// <param name="host">The host.</param>
    /// <returns>The instances.</returns>
    public static IEnumerable<InstanceDocument> LiveInstances(LiteDbConductorDatabase db, string host)
    {
        string prefix = SortableKeys.HostPrefix(host);
        return db.Instances.Find(LiveRange(prefix));
    }

    /// <summary>Counts the live instances of a host through the live host-key index.</summary>
    /// <param name="db">The database.</param>
    /// <param name="host">The host.</param>
    /// <returns>The count.</returns>
    public static int CountLive(LiteDbConductorDatabase db, string host) =>
        db.Instances.Count(LiveRange(SortableKeys.HostPrefix(host)));

    /// <summary>Returns whether a flavor fits.</summary>
    /// <param name="flavor">The flavor.</param>
    /// <returns>Whether every resource has room.</returns>
    public bool Fits(Flavor flavor) => Vcpus >= flavor.Vcpus && MemoryMb >= flavor.MemoryMb && DiskGb >= flavor.DiskGb;

    private static BsonExpression LiveRange(string prefix) =>
        Query.Between(nameof(InstanceDocument.LiveHostKey), prefix + "00000000000000000000000000000000", prefix + SortableKeys.MaxId);
}
