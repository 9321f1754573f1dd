using Microsoft.Win32.SafeHandles;

namespace Conductor.Host.Storage;

/// <summary>
/// Syncs LiteDB's files with <c>fsync</c>. LiteDB 5.0.21 writes each commit to the log file without syncing it,
/// so a commit reaches the disk only through this. The files are opened afresh on every sync: the log file is deleted
/// when the database closes empty and created again when it opens, and <c>fsync</c> on any descriptor of a file
/// flushes all of its dirty pages.
/// </summary>
/// <remarks>
/// A commit only appends to the log; LiteDB writes the data file when it opens a database and when it checkpoints
/// (copies the log into the data file, then empties the log). So the data file is synced on the first sync, and
/// afterwards only when the log has shrunk or gone or the data file's length has changed since the last sync, which a
/// checkpoint or a close causes (a checkpoint that overwrote data pages in place and was followed by 8 MB of new commits
/// before the next sync would go unnoticed, but the conductor syncs right after each checkpoint, and LiteDB 5.0.21 itself
/// flushes the data file before it empties the log). Skipping it otherwise matters: an <c>fsync</c> of a file with nothing dirty
/// still flushes the disk's write cache on ext4, and measured as much as the log's own, so the sync every durable
/// write waits for would cost two cache flushes instead of one (see <c>benchmarks/README.md</c>).
/// </remarks>
internal sealed class FileStorageSync : IStorageSync
{
    private readonly StoragePaths _paths;
    private readonly Lock _gate = new();
    private long _logLength = -1;
    private long _dataLength = -1;
    private long _dataFileFlushes;

    /// <summary>Initializes a new instance of the <see cref="FileStorageSync"/> class.</summary>
    /// <param name="paths">The files to sync.</param>
    public FileStorageSync(StoragePaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        _paths = paths;
    }

    /// <summary>Gets how many syncs flushed the data file as well as the log (for tests and diagnostics).</summary>
    internal long DataFileFlushes => Interlocked.Read(ref _dataFileFlushes);

    /// <inheritdoc/>
    public void Sync()
    {
        // One sync at a time: a sync that skips the data file relies on an earlier one having finished syncing it.
        lock (_gate)
        {
            // The log holds the commits not yet checkpointed; a missing log means there are none.
            long log = FlushIfExists(_paths.LogFile);
            long data = Length(_paths.DataFile);
            bool checkpointed = _logLength < 0 || log < 0 || log < _logLength || data != _dataLength;
            if (checkpointed)
            {
                data = FlushIfExists(_paths.DataFile);
                Interlocked.Increment(ref _dataFileFlushes);
            }

            _logLength = log;
            _dataLength = data;
        }
    }

    private static long Length(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? file.Length : -1;
    }

    private static long FlushIfExists(string path)
    {
        SafeFileHandle handle;
        try
        {
            // With FileShare.ReadWrite .NET takes only a shared flock (LOCK_SH, released on close), which never conflicts
            // with LiteDB's own handles or with another shared lock; only the owner lock (OwnerLock) is exclusive.
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (FileNotFoundException)
        {
            return -1;
        }

        using (handle)
        {
            RandomAccess.FlushToDisk(handle);
            return RandomAccess.GetLength(handle);
        }
    }
}
