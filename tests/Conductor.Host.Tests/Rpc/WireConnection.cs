using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Conductor.Host.Tests.Rpc;

/// <summary>
/// A raw JSON-RPC client that knows nothing of .NET: it writes hand-written frames (<c>Content-Length</c> header,
/// blank line, UTF-8 JSON body) on a socket and parses what comes back, exactly as a client in another language
/// would from docs/protocol.md. Everything sent and received is kept in <see cref="Transcript"/>.
/// </summary>
internal sealed class WireConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly StringBuilder _transcript = new();
    private int _start;
    private int _end;

    private WireConnection(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    /// <summary>Gets every frame sent (<c>&gt;&gt;</c>) and received (<c>&lt;&lt;</c>), for failure messages.</summary>
    public string Transcript => _transcript.ToString();

    public static async Task<WireConnection> ConnectAsync(EndPoint endpoint, CancellationToken cancellationToken)
    {
        var socket = endpoint is UnixDomainSocketEndPoint
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken);
            return new WireConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends one message framed as the protocol says: <c>Content-Length: N\r\n\r\n</c> then N bytes of UTF-8 JSON.</summary>
    public Task SendAsync(string json, CancellationToken cancellationToken)
    {
        byte[] body = Encoding.UTF8.GetBytes(json);
        string header = string.Create(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n\r\n");
        return SendRawAsync([.. Encoding.ASCII.GetBytes(header), .. body], cancellationToken);
    }

    /// <summary>Sends bytes exactly as given (for frames with other headers, or broken ones).</summary>
    public async Task SendRawAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        _transcript.Append(">> ").AppendLine(Encoding.UTF8.GetString(bytes).Replace("\r\n", "\\r\\n", StringComparison.Ordinal));
        await _stream.WriteAsync(bytes, cancellationToken);
        await _stream.FlushAsync(cancellationToken);
    }

    /// <summary>Reads one frame. Fails if the connection closes first.</summary>
    public async Task<WireFrame> ReceiveAsync(CancellationToken cancellationToken) =>
        await TryReceiveAsync(cancellationToken) ?? throw new AssertFailedException("The conductor closed the connection instead of answering.\n" + Transcript);

    /// <summary>Reads one frame, or returns <see langword="null"/> if the connection closed cleanly before one started.</summary>
    public async Task<WireFrame?> TryReceiveAsync(CancellationToken cancellationToken)
    {
        var headers = new List<KeyValuePair<string, string>>();
        var headerText = new StringBuilder();
        while (true)
        {
            string? line = await ReadLineAsync(cancellationToken);
            if (line is null)
            {
                if (headers.Count == 0 && headerText.Length == 0)
                {
                    return null;
                }

                throw new AssertFailedException("The connection closed in the middle of a frame's headers.\n" + Transcript);
            }

            headerText.Append(line).Append("\\r\\n");
            if (line.Length == 0)
            {
                break;
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            Assert.IsTrue(colon > 0, $"Header line '{line}' has no colon.\n{Transcript}");
            headers.Add(new(line[..colon], line[(colon + 1)..].Trim()));
        }

        string? length = headers.FirstOrDefault(h => h.Key == "Content-Length").Value;
        Assert.IsNotNull(length, $"A frame came without a Content-Length header.\n{Transcript}");
        byte[] body = await ReadExactlyAsync(int.Parse(length, NumberStyles.None, CultureInfo.InvariantCulture), cancellationToken);
        string text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(body);
        _transcript.Append("<< ").Append(headerText).AppendLine(text);
        return new WireFrame(headers, text, JsonNode.Parse(text)!.AsObject());
    }

    /// <summary>Waits until the conductor closes the connection, failing if a frame arrives instead.</summary>
    public async Task WaitForCloseAsync(CancellationToken cancellationToken)
    {
        try
        {
            WireFrame? frame = await TryReceiveAsync(cancellationToken);
            Assert.IsNull(frame, $"Expected the conductor to close the connection, but it sent a frame.\n{Transcript}");
        }
        catch (IOException)
        {
            // A reset is a close too.
        }
    }

    /// <summary>Sends a request and returns the response with the same id, failing on anything else first.</summary>
    public async Task<WireFrame> CallAsync(string json, CancellationToken cancellationToken)
    {
        await SendAsync(json, cancellationToken);
        return await ReceiveAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync() => await _stream.DisposeAsync();

    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        while (true)
        {
            if (_start == _end && !await FillAsync(cancellationToken))
            {
                return line.Length == 0 ? null : throw new AssertFailedException("The connection closed in the middle of a header line.\n" + Transcript);
            }

            byte b = _buffer[_start++];
            if (b == '\n')
            {
                Assert.IsTrue(line.Length > 0 && line[^1] == '\r', $"A header line did not end with \\r\\n.\n{Transcript}");
                return line.ToString(0, line.Length - 1);
            }

            Assert.IsTrue(b < 0x80, $"A header line has a non-ASCII byte.\n{Transcript}");
            line.Append((char)b);
        }
    }

    private async Task<byte[]> ReadExactlyAsync(int count, CancellationToken cancellationToken)
    {
        byte[] result = new byte[count];
        int filled = 0;
        while (filled < count)
        {
            if (_start == _end && !await FillAsync(cancellationToken))
            {
                throw new AssertFailedException($"The connection closed after {filled} of {count} body bytes.\n{Transcript}");
            }

            int take = Math.Min(count - filled, _end - _start);
            Array.Copy(_buffer, _start, result, filled, take);
            _start += take;
            filled += take;
        }

        return result;
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        _start = 0;
        _end = await _stream.ReadAsync(_buffer, cancellationToken);
        return _end > 0;
    }
}
