using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Conductor.Abstractions.Wire;
using Conductor.Proxy.Security;

namespace Conductor.Host.Tests.Security;

/// <summary>A bare TCP connection for bytes that are not JSON-RPC at all.</summary>
internal sealed class RawSocket : IAsyncDisposable
{
    private static readonly JsonSerializerOptions s_json = ConductorWire.CreateJsonSerializerOptions();

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

    /// <summary>Authenticates with hand-written frames, leaving the socket to the test (nothing reads it afterwards).</summary>
    public async Task AuthenticateAsync(HostCredential credential)
    {
        HelloRequest hello = RawClient.Hello(credential.Name, credential.Role);
        await TryWriteAsync(Stream, Frame(Request(1, ConductorWire.HelloMethod, hello)));
        HelloResponse answer = (await ReadFrameAsync()).GetProperty("result").Deserialize<HelloResponse>(s_json)!;
        await TryWriteAsync(Stream, Frame(Request(2, ConductorWire.HandshakeMethod, RawClient.Handshake(credential.Name, credential.Role, RawClient.Proof(credential, hello, answer)))));
        JsonElement handshake = await ReadFrameAsync();
        if (!handshake.TryGetProperty("result", out _))
        {
            throw new AssertFailedException("The handshake was refused: " + handshake);
        }
    }

    /// <summary>Serializes a JSON-RPC request with the wire's settings.</summary>
    public static string Request(long id, string method, params object?[] arguments) =>
        JsonSerializer.Serialize(new Dictionary<string, object?> { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = arguments }, s_json);

    /// <summary>Reads one Content-Length frame and parses its JSON.</summary>
    public async Task<JsonElement> ReadFrameAsync()
    {
        using var timeout = new CancellationTokenSource(SecureConductor.Timeout);
        var header = new StringBuilder();
        byte[] one = new byte[1];
        while (!header.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await Stream.ReadAsync(one, timeout.Token) == 0)
            {
                throw new AssertFailedException("The conductor closed the connection instead of answering.");
            }

            header.Append((char)one[0]);
        }

        int length = int.Parse(header.ToString().Split("\r\n")[0]["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        byte[] body = new byte[length];
        await Stream.ReadExactlyAsync(body, timeout.Token);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
