using System.Net.Sockets;
using System.Text;

namespace Conductor.Host.Tests.Security;

/// <summary>A bare TCP connection for bytes that are not JSON-RPC at all.</summary>
internal sealed class RawSocket : IAsyncDisposable
{
    private readonly TcpClient _tcp;

    private RawSocket(TcpClient tcp)
    {
        _tcp = tcp;
        Stream = tcp.GetStream();
    }

    public NetworkStream Stream { get; }

    public static async Task<RawSocket> ConnectAsync(SecureConductor conductor)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(conductor.TcpEndPoint);
        return new RawSocket(tcp);
    }

    /// <summary>Writes bytes; a reset because the conductor already closed the connection is not an error here.</summary>
    /// <returns>Whether every byte was written.</returns>
    public static async Task<bool> TryWriteAsync(Stream stream, ReadOnlyMemory<byte> bytes)
    {
        try
        {
            using var timeout = new CancellationTokenSource(SecureConductor.Timeout);
            await stream.WriteAsync(bytes, timeout.Token);
            await stream.FlushAsync(timeout.Token);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    public Task<bool> TryWriteAsync(string text) => TryWriteAsync(Stream, Encoding.UTF8.GetBytes(text));

    /// <summary>Reads until the conductor closes the connection, and returns what it sent first (if anything).</summary>
    public static async Task<string> ReadUntilClosedAsync(Stream stream)
    {
        var received = new MemoryStream();
        byte[] buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(SecureConductor.Timeout);
        try
        {
            while (true)
            {
                int read = await stream.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    break;
                }

                received.Write(buffer, 0, read);
            }
        }
        catch (IOException)
        {
            // A reset is a close too.
        }
        catch (OperationCanceledException)
        {
            throw new AssertFailedException("The conductor did not close the connection.");
        }

        return Encoding.UTF8.GetString(received.ToArray());
    }

    public Task<string> ReadUntilClosedAsync() => ReadUntilClosedAsync(Stream);

    public static byte[] Frame(string json)
    {
        byte[] body = Encoding.UTF8.GetBytes(json);
        return [.. Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"), .. body];
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
