using Microsoft.Win32.SafeHandles;

namespace Conductor.LoadGenerator;

/// <summary>
/// The durable floor's disk: one 8 KiB page written and <c>fsync</c>ed per durable update, into a file of zeros
/// written and synced beforehand, as the conductor's log is kept ahead of its end (so each sync overwrites blocks the
/// file already has, the cheaper kind). Thread-safe: concurrent updates take their pages in turn and sync in parallel.
/// </summary>
internal sealed class FloorLog : IDisposable
{
    private const int PageSize = 8192;
    private const long FileLength = 64L << 20;

    private readonly string _path;
    private readonly SafeFileHandle _handle;
    private readonly byte[] _page = new byte[PageSize];
    private long _next;
    private long _syncs;

    /// <summary>Initializes a new instance of the <see cref="FloorLog"/> class: creates the file of zeros in <paramref name="directory"/> and syncs it.</summary>
    /// <param name="directory">An existing directory on the file system to measure; the file is deleted on dispose.</param>
    public FloorLog(string directory)
    {
        _path = Path.Combine(directory, "floor.log");
        _handle = File.OpenHandle(_path, FileMode.Create, FileAccess.ReadWrite, FileShare.None);
        byte[] zeros = new byte[1 << 20];
        for (long offset = 0; offset < FileLength; offset += zeros.Length)
        {
            RandomAccess.Write(_handle, zeros, offset);
        }

        RandomAccess.FlushToDisk(_handle);
        Random.Shared.NextBytes(_page);
    }

    /// <summary>Gets how many syncs have completed.</summary>
    public long Syncs => Interlocked.Read(ref _syncs);

    /// <summary>Writes the next page (wrapping round the file) and syncs the file before it returns.</summary>
    public void WriteAndSync()
    {
        long offset = (Interlocked.Increment(ref _next) - 1) * PageSize % FileLength;
        RandomAccess.Write(_handle, _page, offset);
        RandomAccess.FlushToDisk(_handle);
        Interlocked.Increment(ref _syncs);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _handle.Dispose();
        File.Delete(_path);
    }
}
