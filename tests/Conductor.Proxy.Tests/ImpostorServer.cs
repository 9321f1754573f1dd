using System.Security.Cryptography;
using Conductor.Abstractions.Wire;
using Nerdbank.Streams;
using StreamJsonRpc;

namespace Conductor.Proxy.Tests;

/// <summary>
/// A server that pretends to be the conductor without holding the client's verifier: it answers the hello and
/// accepts any proof, but cannot compute the conductor's signature.
/// </summary>
internal sealed class ImpostorServer
{
    public int Handshakes { get; private set; }

    public ValueTask<Stream> ConnectAsync(CancellationToken cancellationToken)
    {
        (Stream client, Stream server) = FullDuplexStream.CreatePair();
        var rpc = new JsonRpc(ConductorWireFormat.CreateMessageHandler(server));
        rpc.AddLocalRpcMethod(ConductorWire.HelloMethod, new Func<HelloRequest, HelloResponse>(_ => new HelloResponse
        {
            Mechanism = ConductorWire.ScramSha256,
            ServerNonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)),
            Salt = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)),
            Iterations = 4096,
        }));
        rpc.AddLocalRpcMethod(ConductorWire.HandshakeMethod, new Func<HandshakeRequest, HandshakeResponse>(request =>
        {
            Handshakes++;
            return new HandshakeResponse
            {
                ServerName = "conductor/1.0.0",
                ConnectionId = "c1",
                Apis = request.Apis,
                ServerTimeUtc = DateTime.UtcNow,
                ServerSignature = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            };
        }));
        rpc.StartListening();
        return new(client);
    }
}
