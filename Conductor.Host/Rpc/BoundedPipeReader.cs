using System.Buffers;
using System.IO.Pipelines;

namespace Conductor.Host.Rpc;

/// <summary>
/// A <see cref="PipeReader"/> that refuses to buffer more than a limit for one message. The message handler asks for
/// more data only when the message it is reading is incomplete, and then everything it has not consumed belongs to
/// that message; once that is over the limit the next read throws <see cref="MessageTooLargeException"/>, so an
/// oversized (or endless) frame costs at most the limit plus one read in memory, whatever its header claimed.
/// </summary>
internal sealed class BoundedPipeReader : PipeReader
{
    /// <summary>Room for the frame's headers on top of the message's own limit.</summary>
    private const int HeaderAllowance = 4096;

    private readonly PipeReader _inner;
    private ReadOnlySequence<byte> _last;
    private bool _overLimit;

    public BoundedPipeReader(PipeReader inner, int maxMessageBytes)
    {
        _inner = inner;
        MaxMessageBytes = maxMessageBytes;
    }

    /// <summary>Gets or sets the largest message, in bytes. Raised once a connection has authenticated.</summary>
    public int MaxMessageBytes { get; set; }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        // Examined to the end: the reader needs more bytes to finish the message it is in.
        if (examined.Equals(_last.End) && _last.Slice(consumed).Length > (long)MaxMessageBytes + HeaderAllowance)
        {
            _overLimit = true;
        }

        _inner.AdvanceTo(consumed, examined);
    }

    public override void CancelPendingRead() => _inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => _inner.Complete(exception);

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfOverLimit();
        ReadResult result = await _inner.ReadAsync(cancellationToken).ConfigureAwait(false);
        _last = result.Buffer;
        return result;
    }

    public override bool TryRead(out ReadResult result)
    {
        ThrowIfOverLimit();
        bool read = _inner.TryRead(out result);
        if (read)
        {
            _last = result.Buffer;
        }

        return read;
    }

    private void ThrowIfOverLimit()
    {
        if (_overLimit)
        {
            throw new MessageTooLargeException(MaxMessageBytes);
        }
    }
}
