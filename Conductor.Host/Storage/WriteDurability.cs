namespace Conductor.Host.Storage;

/// <summary>When a write may be acknowledged.</summary>
internal enum WriteDurability
{
    /// <summary>After a sync that began after its commit: an acknowledged write survives a power cut. The default for data.</summary>
    Synced,

    /// <summary>
    /// As soon as it is committed (to the operating system's page cache, so it survives the conductor being killed);
    /// the next sync, or the kernel's own write-back, takes it to the disk. Only for records that are rewritten
    /// periodically anyway and whose loss in a power cut costs nothing but one period, such as liveness heartbeats.
    /// </summary>
    Committed,
}
