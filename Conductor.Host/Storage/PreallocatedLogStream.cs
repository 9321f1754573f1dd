namespace Conductor.Host.Storage;

/// <summary>
/// LiteDB's log file, kept ahead of its end with zeroed, synced space, so that a commit's <c>fsync</c> overwrites
/// blocks the file already has instead of growing the file.
/// </summary>
/// <remarks>
/// <para>
/// Why. LiteDB appends every commit to its log. An <c>fsync</c> after an append must also write the file system's
/// metadata for the new blocks (the allocation and the file's size); after an overwrite of blocks that exist it writes
/// the data alone. On this project's machines an append of two pages and its <c>fsync</c> measured 150-240 us, an
/// overwrite of two zeroed pages 95-135 us (<c>benchmarks/README.md</c>), and every durable write waits for one. Space
/// reserved with <c>fallocate</c> does not help (ext4 must still mark the blocks written: 140-230 us); only zeros
/// actually written do. PostgreSQL zero-fills its WAL segments for the same reason.
/// </para>
/// <para>
/// How. The file is longer than the log: LiteDB sees <see cref="Length"/>, the log's own length (its last non-zero page),
/// and the zeros after it are invisible to it. <see cref="ZeroAhead"/> (run after a sync, off the commit path) writes
/// <see cref="Step"/> of zeros past the file's end when less than <see cref="MinimumAhead"/> is left, and syncs them,
/// so the next commits land in allocated, zeroed blocks. A commit larger than the zeroed space simply appends, as LiteDB
/// would. <see cref="SetLength"/> (LiteDB's checkpoint empties the log with <c>SetLength(0)</c>) truncates the file
/// itself, zeros and all, so that no page of an emptied log can be read as log again.
/// </para>
/// <para>
/// Reopening. The log's length is found again by looking back from the file's end for the last page that is not all
/// zeros: LiteDB never writes such a page (every page has its number or the header's page type in its first bytes).
/// A zero page inside the log (a crash that kept a later page of a commit but not an earlier one) stays part of it,
/// and LiteDB 5.0.21 itself skips blank log pages when it rebuilds its index (<c>WalIndexService.RestoreIndex</c>), so
/// an older conductor that opens this file by name reads the same log, zeros included.
/// </para>
/// <para>
/// Thread safety. LiteDB wraps the stream in its own <c>ConcurrentStream</c>, which locks on this object around each
/// positioned read or write; every member here also takes this class's private lock, so that
/// <see cref="ZeroAhead"/> (on the sync thread) never overlaps a write and never zeroes a page already written.
/// </para>
/// </remarks>
internal sealed class PreallocatedLogStream : Stream
{
    /// <summary>The zeroed space past the log's end below which <see cref="ZeroAhead"/> adds more: 128 pages, room for a batch of about 64 updates.</summary>
    internal const long MinimumAhead = 1L << 20;

    /// <summary>How much <see cref="ZeroAhead"/> adds at a time: 256 pages, about 128 sequential updates' worth.</summary>
    internal const long Step = 2L << 20;

    /// <summary>How much is zeroed per write, so that a commit never waits behind more than one of these.</summary>
    private const int ZeroChunk = 64 * 1024;

    private static readonly byte[] s_zeros = new byte[ZeroChunk];

    private readonly Stream _inner;
    private readonly bool _writable;
    private readonly Lock _gate = new();
    private long _length;
    private long _fileLength;
    private long _position;
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="PreallocatedLogStream"/> class over an open log file.</summary>
    /// <param name="inner">The log file: readable and seekable, and writable unless <paramref name="readOnly"/>. Disposed with this stream.</param>
    /// <param name="readOnly">Whether the database is opened read-only: nothing is written, not even zeros.</param>
    /// <exception cref="IOException">The file could not be read.</exception>
    public PreallocatedLogStream(Stream inner, bool readOnly)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _writable = !readOnly;
        _fileLength = inner.Length;
        long torn = _fileLength % LiteDbConductorDatabase.PageSize;
        if (torn != 0 && _writable)
        {
            // A crash in the middle of appending a page left its start. It is not log (LiteDB drops such a tail as
            // well), and zeros written after it would make it look like a whole page: cut it off.
            _fileLength -= torn;
            inner.SetLength(_fileLength);
        }

        _length = FindLogEnd(inner, _fileLength);
    }

    /// <summary>Gets the log's length as it stood when the stream was last used, also after it was disposed.</summary>
    public long LogLength => Volatile.Read(ref _length);

    /// <summary>Gets the file's length: the log and the zeroed space after it.</summary>
    public long FileLength
    {
        get
        {
            lock (_gate)
            {
                return _fileLength;
            }
        }
    }

    /// <inheritdoc/>
    public override bool CanRead => true;

    /// <inheritdoc/>
    public override bool CanSeek => true;

    /// <inheritdoc/>
    public override bool CanWrite => _writable;

    /// <summary>Gets the log's length (not the file's: the zeroed space after the log is not part of it).</summary>
    public override long Length
    {
        get
        {
            lock (_gate)
            {
                return _length;
            }
        }
    }

    /// <inheritdoc/>
    public override long Position
    {
        get
        {
            lock (_gate)
            {
                return _position;
            }
        }

        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            lock (_gate)
            {
                _position = value;
            }
        }
    }

    /// <summary>
    /// When less than <see cref="MinimumAhead"/> of zeroed space is left after the log, writes <see cref="Step"/> of
    /// zeros past the file's end and flushes them to disk (only synced zeros make the next commits' syncs cheap).
    /// Otherwise does nothing, so that zeroing happens once per <see cref="Step"/> of log, not after every commit.
    /// </summary>
    /// <returns>Whether anything was written.</returns>
    /// <exception cref="IOException">The write failed (a full disk, a failing device).</exception>
    public bool ZeroAhead()
    {
        if (!_writable)
        {
            return false;
        }

        long written = 0;
        while (written < Step)
        {
            // One chunk per turn of the lock: a commit waits behind at most one, and the chunk starts at the file's
            // end as it is now, so a commit that appended meanwhile is never overwritten.
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed != 0, this);
                if (written == 0 && _fileLength - _length >= MinimumAhead)
                {
                    break;
                }

                _inner.Position = _fileLength;
                _inner.Write(s_zeros, 0, ZeroChunk);
                _fileLength += ZeroChunk;
            }

            written += ZeroChunk;
        }

        if (written == 0)
        {
            return false;
        }

        // Outside the lock: commits go on writing while the zeros reach the disk. This is not a sync any commit waits
        // for (those are IStorageSync's), only what makes the next commits' syncs overwrites.
        if (_inner is FileStream file)
        {
            RandomAccess.FlushToDisk(file.SafeFileHandle);
        }
        else
        {
            _inner.Flush();
        }

        return true;
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            int wanted = (int)Math.Clamp(_length - _position, 0, count);
            if (wanted == 0)
            {
                return 0;
            }

            _inner.Position = _position;
            int read = _inner.Read(buffer, offset, wanted);
            _position += read;
            return read;
        }
    }

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        if (!_writable)
        {
            throw new NotSupportedException("The log was opened read-only.");
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            _inner.Position = _position;
            _inner.Write(buffer, offset, count);
            _position += count;
            if (_position > _length)
            {
                Volatile.Write(ref _length, _position);
            }

            _fileLength = Math.Max(_fileLength, _position);
        }
    }

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin)
    {
        lock (_gate)
        {
            long target = origin switch
            {
                SeekOrigin.Begin => offset,
                SeekOrigin.Current => _position + offset,
                SeekOrigin.End => _length + offset,
                _ => throw new ArgumentOutOfRangeException(nameof(origin), origin, "Seek from the beginning, the current position or the end."),
            };
            ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
            _position = target;
            return target;
        }
    }

    /// <summary>
    /// Sets the log's length. The file is cut to it as well, zeroed space included: LiteDB empties the log this way
    /// after a checkpoint, and a page of the emptied log must never be found again after a restart.
    /// </summary>
    /// <param name="value">The new length.</param>
    public override void SetLength(long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        if (!_writable)
        {
            throw new NotSupportedException("The log was opened read-only.");
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            _inner.SetLength(value);
            _fileLength = value;
            Volatile.Write(ref _length, value);
            _position = Math.Min(_position, value);
        }
    }

    /// <summary>Passes buffered writes to the operating system; making them durable is <see cref="IStorageSync"/>'s job.</summary>
    public override void Flush()
    {
        lock (_gate)
        {
            if (_disposed == 0)
            {
                _inner.Flush();
            }
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        // LiteDB disposes every stream it wrapped around this one, so this runs more than once.
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            lock (_gate)
            {
                _inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    /// <summary>Finds the end of the log: the end of the last page that is not all zeros.</summary>
    private static long FindLogEnd(Stream file, long fileLength)
    {
        int pageSize = LiteDbConductorDatabase.PageSize;
        byte[] page = new byte[pageSize];

        // A torn last page (shorter than a page) is not part of the log; LiteDB drops it as well.
        for (long start = fileLength / pageSize * pageSize - pageSize; start >= 0; start -= pageSize)
        {
            file.Position = start;
            file.ReadExactly(page);
            if (page.AsSpan().ContainsAnyExcept((byte)0))
            {
                return start + pageSize;
            }
        }

        return 0;
    }
}
