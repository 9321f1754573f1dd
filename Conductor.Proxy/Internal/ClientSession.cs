using Conductor.Abstractions.Wire;
using StreamJsonRpc;

namespace Conductor.Proxy.Internal;

/// <summary>One live, handshaken connection: the <see cref="JsonRpc"/> every proxy call goes through.</summary>
/// <param name="rpc">The connection.</param>
/// <param name="handshake">The conductor's handshake answer.</param>
internal sealed class ClientSession(JsonRpc rpc, HandshakeResponse handshake)
{
    /// <summary>Gets the connection.</summary>
    public JsonRpc Rpc { get; } = rpc;

    /// <summary>Gets the conductor's handshake answer.</summary>
    public HandshakeResponse Handshake { get; } = handshake;

    /// <summary>Gets whether the connection has dropped.</summary>
    public bool IsClosed => Rpc.IsDisposed || Rpc.Completion.IsCompleted;
}
