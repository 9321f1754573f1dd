using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Conductor.Abstractions.Compute;
using Conductor.Abstractions.Wire;

namespace Conductor.Benchmarks.Floors;

/// <summary>
/// The transport floor: a loopback TCP server that answers every <c>Content-Length</c> frame with a fixed frame the
/// size of a real instances.Get answer, and a client that sends frames the size of a real instances.Get request.
/// Same sockets options (no Nagle) and framing as the conductor; no JSON, no JSON-RPC, no dispatch. Optionally the
/// server runs some work before each answer, on the thread that read the request (a durable write's floor, composed).
/// </summary>
internal sealed class FramedEcho : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly Task _server;
    private readonly NetworkStream _client;
    private readonly FrameReader _reader;
    private readonly byte[] _request;

    private FramedEcho(Socket listener, Task server, NetworkStream client, byte[] request)
    {
        _listener = listener;
        _server = server;
        _client = client;
        _reader = new FrameReader(client);
        _request = request;
    }

    /// <summary>Starts the server on a free loopback port and connects the client.</summary>
    /// <param name="beforeReply">Work the server does, synchronously, between reading each request and answering it; none by default.</param>
    /// <returns>The connected pair.</returns>
    public static async Task<FramedEcho> StartAsync(Action? beforeReply = null)
    {
        (byte[] request, byte[] reply) = SampleFrames();
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(16);
        Task server = ServeAsync(listener, reply, beforeReply);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(listener.LocalEndPoint!).ConfigureAwait(false);
        return new FramedEcho(listener, server, new NetworkStream(socket, ownsSocket: true), request);
    }

    /// <summary>Sends one request frame and reads the answer frame.</summary>
    /// <returns>The answer's body length.</returns>
    public async Task<int> RoundTripAsync()
    {
        await _client.WriteAsync(_request).ConfigureAwait(false);
        return await _reader.ReadFrameAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _server.ConfigureAwait(false);
    }

    /// <summary>Frames with the sizes of an instances.Get call: the request and the answer, as the conductor's formatter writes them.</summary>
    /// <returns>The request and answer frames, headers included.</returns>
    internal static (byte[] Request, byte[] Reply) SampleFrames()
    {
        JsonSerializerOptions options = ConductorWire.CreateJsonSerializerOptions();
        var instance = new Instance
        {
            Id = Guid.NewGuid(),
            Name = "bench-vm-0000",
            Host = "bench-compute-1",
            Flavor = new Flavor { Vcpus = 1, MemoryMb = 512, DiskGb = 1 },
            VmState = VmState.Active,
            TaskState = TaskState.None,
            PowerState = PowerState.Running,
            CreatedAtUtc = DateTime.UtcNow,
            UpdatedAtUtc = DateTime.UtcNow,
            Revision = 2,
        };
        string request = $$"""{"jsonrpc":"2.0","id":12345,"method":"instances.Get","params":["{{instance.Id}}"]}""";
        string reply = $$"""{"jsonrpc":"2.0","id":12345,"result":{{JsonSerializer.Serialize(instance, options)}}}""";
        return (Frame(request), Frame(reply));
    }

    private static byte[] Frame(string json)
    {
        byte[] body = Encoding.UTF8.GetBytes(json);
        byte[] header = Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n");
        return [.. header, .. body];
    }

    private static async Task ServeAsync(Socket listener, byte[] reply, Action? beforeReply)
    {
        Socket socket;
        try
        {
            socket = await listener.AcceptAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
        {
            return;
        }

        socket.NoDelay = true;
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        var reader = new FrameReader(stream);
        try
        {
            while (await reader.ReadFrameAsync(CancellationToken.None).ConfigureAwait(false) >= 0)
            {
                beforeReply?.Invoke();
                await stream.WriteAsync(reply).ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // The client went away: the benchmark is over.
        }
    }
}
