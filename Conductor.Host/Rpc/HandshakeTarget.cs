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
}
