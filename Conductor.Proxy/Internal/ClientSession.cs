using Conductor.Abstractions;
using Conductor.Abstractions.Wire;
using StreamJsonRpc;

namespace Conductor.Proxy.Internal;

/// <summary>One live, handshaken connection: the <see cref="JsonRpc"/> every proxy call goes through.</summary>
/// <param name="rpc">The connection.</param>
/// <param name="handshake">The conductor's handshake answer.</param>
/// <param name="settled">The settled version of each registered API, by slot (0.0 where the conductor does not serve it).</param>
internal sealed class ClientSession(JsonRpc rpc, HandshakeResponse handshake, ApiVersion[] settled)
{
    /// <summary>Gets the connection.</summary>
    public JsonRpc Rpc { get; } = rpc;

    /// <summary>Gets the conductor's handshake answer.</summary>
    public HandshakeResponse Handshake { get; } = handshake;

    /// <summary>Gets the settled version of each registered API, by slot of the <see cref="ApiVersionTable"/>.</summary>
    public ApiVersion[] Settled { get; } = settled;

    /// <summary>Gets whether the connection has dropped.</summary>
    public bool IsClosed => Rpc.IsDisposed || Rpc.Completion.IsCompleted;
}
