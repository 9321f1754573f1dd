using Conductor.Host.Storage;

namespace Conductor.Host.Tests.Storage;

/// <summary>
/// Opens LiteDB's real files through a stream that, once armed, fails every write the way a full disk does. Reads
/// always pass through, and streams opened read-only are never armed.
/// </summary>
internal sealed class FaultInjectingStreams : IDatabaseStreams
{
    private volatile bool _failWrites;
    private int _failedWrites;

    /// <summary>Gets how many writes failed since the streams were armed.</summary>
    public int FailedWrites => Volatile.Read(ref _failedWrites);

    /// <summary>From now on every write, flush and resize fails with "No space left on device".</summary>
    public void FailWrites() => _failWrites = true;

    public Stream Open(string path, bool readOnly)
    {
        var file = new FileStream(path, readOnly ? FileMode.Open : FileMode.OpenOrCreate, readOnly ? FileAccess.Read : FileAccess.ReadWrite, FileShare.ReadWrite, 8192, FileOptions.RandomAccess);
        return readOnly ? file : new FaultingStream(file, this);
    }

    private IOException Fail()
    {
        Interlocked.Increment(ref _failedWrites);
        return new IOException("No space left on device");
    }

    private sealed class FaultingStream(FileStream inner, FaultInjectingStreams faults) : Stream
    {
        public override bool CanRead => inner.CanRead;

        public override bool CanSeek => inner.CanSeek;

        public override bool CanWrite => inner.CanWrite;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override void Flush()
        {
            ThrowIfArmed();
            inner.Flush(flushToDisk: true);
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void SetLength(long value)
        {
            ThrowIfArmed();
            inner.SetLength(value);
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            ThrowIfArmed();
            inner.Write(buffer, offset, count);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private void ThrowIfArmed()
        {
            if (faults._failWrites)
            {
                throw faults.Fail();
            }
        }
    }
}
