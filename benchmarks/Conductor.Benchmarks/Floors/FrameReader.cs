using System.Buffers.Text;

namespace Conductor.Benchmarks.Floors;

/// <summary>
/// Reads <c>Content-Length</c> header-delimited frames (the conductor's framing) from a stream with one reusable
/// buffer: the least work a framed round trip can do, with no JSON and no JSON-RPC.
/// </summary>
internal sealed class FrameReader(Stream stream)
{
    private static readonly byte[] s_headerEnd = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] s_lengthHeader = "Content-Length: "u8.ToArray();
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    /// <summary>Reads one frame and discards its body.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The body's length, or -1 when the stream ended.</returns>
    public async ValueTask<int> ReadFrameAsync(CancellationToken cancellationToken)
    {
        int headerEnd;
        while ((headerEnd = _buffer.AsSpan(_start, _end - _start).IndexOf(s_headerEnd)) < 0)
        {
            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                return -1;
            }
        }

        int length = ParseLength(_buffer.AsSpan(_start, headerEnd));
        int frameLength = headerEnd + s_headerEnd.Length + length;
        while (_end - _start < frameLength)
        {
            if (_start + frameLength > _buffer.Length)
            {
                Compact(frameLength);
            }

            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                return -1;
            }
        }

        _start += frameLength;
        if (_start == _end)
        {
            _start = _end = 0;
        }

        return length;
    }

    private static int ParseLength(ReadOnlySpan<byte> header)
    {
        int at = header.IndexOf(s_lengthHeader);
        if (at < 0 || !Utf8Parser.TryParse(header[(at + s_lengthHeader.Length)..], out int length, out _) || length < 0)
        {
            throw new InvalidDataException("The frame has no valid Content-Length header.");
        }

        return length;
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_end == _buffer.Length)
        {
            Compact(_end - _start + 1);
        }

        int read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        _end += read;
        return read > 0;
    }

    private void Compact(int needed)
    {
        int held = _end - _start;
        byte[] target = needed > _buffer.Length ? new byte[Math.Max(needed, _buffer.Length * 2)] : _buffer;
        Buffer.BlockCopy(_buffer, _start, target, 0, held);
        _buffer = target;
        _start = 0;
        _end = held;
    }
}
