using Conductor.Abstractions;

namespace Conductor.Proxy.Internal;

/// <summary>
/// What the call path needs to know about one member, computed once when its proxy is made: the wire name, and the
/// API slot and version its connection must have settled for the member to be callable.
/// </summary>
/// <param name="MethodName">The wire method name.</param>
/// <param name="ApiSlot">The slot of the member's API in the <see cref="ApiVersionTable"/>.</param>
/// <param name="Since">The version that added the member.</param>
internal sealed record CallSite(string MethodName, int ApiSlot, ApiVersion Since);
