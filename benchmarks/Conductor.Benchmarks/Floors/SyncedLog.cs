using Microsoft.Win32.SafeHandles;

namespace Conductor.Benchmarks.Floors;

/// <summary>
/// The disk floor: appends one LiteDB-sized page (8 KiB) to a file and <c>fsync</c>s it, as a commit that must reach
/// the disk has to at least. The file is emptied after 1,000 pages, as the conductor's checkpoint empties LiteDB's log.
/// </summary>
internal sealed class SyncedLog : IDisposable
{
    private const int PageSize = 8192;
    private const long ResetAt = 1000L * PageSize;
    private readonly string _directory;
    private readonly string _path;
    private readonly SafeFileHandle _handle;
    private readonly byte[] _page = new byte[PageSize];
    private long _offset;

    /// <summary>Initializes a new instance of the <see cref="SyncedLog"/> class in <paramref name="directory"/>.</summary>
    /// <param name="directory">A new directory for the file, on the same file system as the conductor's data; deleted on dispose.</param>
    public SyncedLog(string directory)
    {
        _directory = directory;
        Directory.CreateDirectory(directory);
        _path = Path.Combine(directory, "fsync-floor.log");
        _handle = File.OpenHandle(_path, FileMode.Create, FileAccess.ReadWrite, FileShare.None);
        Random.Shared.NextBytes(_page);
    }

    /// <summary>Appends one page and syncs the file.</summary>
    public void AppendAndSync()
    {
        if (_offset >= ResetAt)
        {
            RandomAccess.SetLength(_handle, 0);
            _offset = 0;
        }

        RandomAccess.Write(_handle, _page, _offset);
        _offset += PageSize;
        RandomAccess.FlushToDisk(_handle);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _handle.Dispose();
        File.Delete(_path);
        Directory.Delete(_directory);
    }
}
