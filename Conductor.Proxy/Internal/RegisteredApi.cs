using Conductor.Abstractions;

namespace Conductor.Proxy.Internal;

/// <summary>One API a client process registered a proxy for; the connection announces all of them in its handshake.</summary>
/// <param name="Descriptor">The API.</param>
internal sealed record RegisteredApi(ConductorApiDescriptor Descriptor);
