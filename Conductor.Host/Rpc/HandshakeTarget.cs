using Conductor.Abstractions.Wire;
using StreamJsonRpc;

namespace Conductor.Host.Rpc;

/// <summary>The only RPC target a connection has before its handshake succeeds.</summary>
/// <param name="session">The connection.</param>
internal sealed class HandshakeTarget(RpcSession session)
{
    /// <summary>Proves who the client is and settles the API versions. See <see cref="ConductorWire.HandshakeMethod"/>.</summary>
    /// <param name="request">The client's declaration.</param>
    /// <param name="cancellationToken">Cancelled when the connection drops.</param>
    /// <returns>The settled versions.</returns>
    [JsonRpcMethod(ConductorWire.HandshakeMethod)]
    public Task<HandshakeResponse> HandshakeAsync(HandshakeRequest request, CancellationToken cancellationToken) =>
        session.HandshakeAsync(request, cancellationToken);

    /// <summary>Starts authentication: answers the client's nonce with the connection's nonce and the credential's salt. See <see cref="ConductorWire.HelloMethod"/>.</summary>
    /// <param name="request">The client's claim.</param>
    /// <param name="cancellationToken">Cancelled when the connection drops.</param>
    /// <returns>What the client needs for its proof.</returns>
    [JsonRpcMethod(ConductorWire.HelloMethod)]
    public Task<HelloResponse> HelloAsync(HelloRequest request, CancellationToken cancellationToken) =>
        session.HelloAsync(request, cancellationToken);
}
