using Conductor.Abstractions;

namespace Conductor.Proxy.Internal;

/// <summary>
/// What the call path needs to know about one member, fixed once when its proxy is made: the member (wire name, retry
/// behaviour, the version that added it) and the slot of its API, whose settled version the connection keeps.
/// </summary>
/// <param name="Member">The member.</param>
/// <param name="ApiSlot">The slot of the member's API in the <see cref="ApiVersionTable"/>.</param>
internal sealed record CallSite(ConductorMemberDescriptor Member, int ApiSlot)
{
    /// <summary>Gets the wire method name.</summary>
    public string MethodName => Member.MethodName;

    /// <summary>Gets the version that added the member.</summary>
    public ApiVersion Since => Member.Since;
}
