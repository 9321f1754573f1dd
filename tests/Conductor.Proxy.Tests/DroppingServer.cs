using Conductor.Abstractions;
using Conductor.Abstractions.Wire;
using Nerdbank.Streams;
using StreamJsonRpc;

namespace Conductor.Proxy.Tests;

/// <summary>
/// A conductor stand-in that drops the connection while the first <see cref="DropsLeft"/> calls are in flight (the
/// call arrived, its answer never leaves), then answers normally. It records what each call carried.
/// </summary>
internal sealed class DroppingServer
{
    private int _dropsLeft;

    public DroppingServer(int drops) => _dropsLeft = drops;

    public List<string> Calls { get; } = [];

    public int DropsLeft => Volatile.Read(ref _dropsLeft);

    public ValueTask<Stream> ConnectAsync(CancellationToken cancellationToken)
    {
        (Stream client, Stream server) = FullDuplexStream.CreatePair();
        var rpc = new JsonRpc(ConductorWireFormat.CreateMessageHandler(server));
        rpc.AddLocalRpcMethod(ConductorWire.HandshakeMethod, new Func<HandshakeRequest, HandshakeResponse>(r => new HandshakeResponse
        {
            ServerName = "dropping/1.0",
            ConnectionId = "c1",
            Apis = r.Apis,
            ServerTimeUtc = DateTime.UtcNow,
        }));
        rpc.AddLocalRpcTarget<IRetryProbeApi>(new Target(this, rpc), new JsonRpcTargetOptions { MethodNameTransform = n => ApiNames.MethodName("probe", n) });
        rpc.StartListening();
        return new(client);
    }

    private async Task<int> AnswerAsync(string call, JsonRpc rpc, CancellationToken cancellationToken)
    {
        int count;
        lock (Calls)
        {
            Calls.Add(call);
            count = Calls.Count;
        }

        if (Interlocked.Decrement(ref _dropsLeft) >= 0)
        {
            // The request arrived; the connection dies before the answer goes out.
            _ = Task.Run(rpc.Dispose, CancellationToken.None);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        return count;
    }

    private sealed class Target(DroppingServer server, JsonRpc rpc) : IRetryProbeApi
    {
        public Task<int> ReadAsync(CancellationToken cancellationToken) => server.AnswerAsync("read", rpc, cancellationToken);

        public Task<int> WriteAsync(ProbeWrite write, CancellationToken cancellationToken) => server.AnswerAsync("write " + write.RequestId, rpc, cancellationToken);

        public Task<int> TouchAsync(CancellationToken cancellationToken) => server.AnswerAsync("touch", rpc, cancellationToken);
    }
}
