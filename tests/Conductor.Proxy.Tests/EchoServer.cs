using Conductor.Abstractions;
using Conductor.Abstractions.Wire;
using Nerdbank.Streams;
using StreamJsonRpc;

namespace Conductor.Proxy.Tests;

/// <summary>A minimal conductor stand-in over an in-memory duplex stream: a handshake and the echo API.</summary>
internal sealed class EchoServer : IEchoApi
{
    private readonly TaskCompletionSource<CancellationToken> _blocked = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _connections;

    public List<string> Methods { get; } = [];

    public HandshakeRequest? LastHandshake { get; private set; }

    public int Connections => _connections;

    /// <summary>Completes with the server-side token once <see cref="BlockAsync"/> is running.</summary>
    public Task<CancellationToken> Blocked => _blocked.Task;

    public ValueTask<Stream> ConnectAsync(CancellationToken cancellationToken)
    {
        (Stream client, Stream server) = FullDuplexStream.CreatePair();
        var rpc = new JsonRpc(ConductorWireFormat.CreateMessageHandler(server));
        rpc.AddLocalRpcMethod(ConductorWire.HandshakeMethod, new Func<HandshakeRequest, HandshakeResponse>(Handshake));
        rpc.AddLocalRpcTarget<IEchoApi>(this, new JsonRpcTargetOptions { MethodNameTransform = n => ApiNames.MethodName("echo", n) });
        rpc.StartListening();
        Interlocked.Increment(ref _connections);
        return new(client);
    }

    public Task<string> EchoAsync(string text, CancellationToken cancellationToken)
    {
        lock (Methods)
        {
            Methods.Add(text);
        }

        return Task.FromResult("echo: " + text);
    }

    public Task FailAsync(int errorCode, string message, CancellationToken cancellationToken) =>
        throw new LocalRpcException(message) { ErrorCode = errorCode };

    public async Task<int> BlockAsync(CancellationToken cancellationToken)
    {
        _blocked.TrySetResult(cancellationToken);
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return 0;
    }

    private HandshakeResponse Handshake(HandshakeRequest request)
    {
        LastHandshake = request;
        return new HandshakeResponse
        {
            ServerName = "echo/1.0",
            ConnectionId = "c" + _connections,
            Apis = request.Apis,
            ServerTimeUtc = DateTime.UtcNow,
        };
    }
}
