namespace Conductor.Host.Storage;

/// <summary>
/// Forces the database files to stable storage. The seam exists so that tests can observe (and hold) the moment a
/// sync begins, and prove that no write is acknowledged before it.
/// </summary>
internal interface IStorageSync
{
    /// <summary>
    /// Flushes the log file (if present) and, when it may have changed since it was last flushed, the data file to
    /// stable storage. Blocks until done.
    /// </summary>
    /// <exception cref="IOException">The operating system reported a failure; the writes may not be durable.</exception>
    void Sync();
}
