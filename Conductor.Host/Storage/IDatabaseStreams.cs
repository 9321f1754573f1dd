namespace Conductor.Host.Storage;

/// <summary>
/// Opens the streams LiteDB runs on instead of letting it open its files by name. The seam exists for tests, which
/// wrap the real files in a stream that fails on demand (a full disk, a failing write) to prove that a storage fault
/// makes writes fail cleanly while reads go on and committed data stays intact.
/// </summary>
internal interface IDatabaseStreams
{
    /// <summary>Opens a database file (the data file or the log).</summary>
    /// <param name="path">The file's full path.</param>
    /// <param name="readOnly">Whether the database is opened read-only.</param>
    /// <returns>A readable, seekable stream (writable unless <paramref name="readOnly"/>); the database disposes it.</returns>
    Stream Open(string path, bool readOnly);
}
