using Microsoft.Win32.SafeHandles;

namespace Conductor.Host.Storage;

/// <summary>
/// Syncs LiteDB's files with <c>fsync</c>. LiteDB 5.0.21 writes each commit to the log file without syncing it,
/// so a commit reaches the disk only through this. The files are opened afresh on every sync: LiteDB deletes and
/// recreates the log file, and <c>fsync</c> on any descriptor of a file flushes all of its dirty pages.
/// </summary>
internal sealed class FileStorageSync : IStorageSync
{
    private readonly StoragePaths _paths;

    /// <summary>Initializes a new instance of the <see cref="FileStorageSync"/> class.</summary>
    /// <param name="paths">The files to sync.</param>
    public FileStorageSync(StoragePaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        _paths = paths;
    }

    /// <inheritdoc/>
    public void Sync()
    {
        // The log holds the commits not yet checkpointed; a missing log means there are none.
        FlushIfExists(_paths.LogFile);
        FlushIfExists(_paths.DataFile);
    }

    private static void FlushIfExists(string path)
    {
        SafeFileHandle handle;
        try
        {
            // FileShare.ReadWrite takes no flock, so this never conflicts with LiteDB's own handles.
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (FileNotFoundException)
        {
            return;
        }

        using (handle)
        {
            RandomAccess.FlushToDisk(handle);
        }
    }
}
