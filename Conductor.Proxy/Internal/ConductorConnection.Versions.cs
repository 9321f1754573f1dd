using Conductor.Abstractions;

namespace Conductor.Proxy.Internal;

/// <content>Versions: the slots proxies are built with, and the error for a member the connection cannot call.</content>
internal sealed partial class ConductorConnection
{
    /// <summary>Makes the call site of a member, once, when its proxy is made.</summary>
    /// <param name="api">The member's API, registered with this connection.</param>
    /// <param name="member">The member.</param>
    /// <returns>The call site.</returns>
    public CallSite CreateCallSite(ConductorApiDescriptor api, ConductorMemberDescriptor member) =>
        new(member, _versions.SlotOf(api));

    private VersionNotSupportedException NotCallable(ClientSession session, CallSite site)
    {
        (ConductorApiDescriptor api, ApiVersion announced, bool pinned) = _versions[site.ApiSlot];
        ApiVersion settled = session.Settled[site.ApiSlot];
        if (settled == default)
        {
            return new VersionNotSupportedException(
                $"The conductor at {_endpoint} does not serve {api.Name} to this client, so {site.MethodName} cannot be called. " +
                "Upgrade the conductor first if a newer release adds the API, or register the API on the conductor.");
        }

        string limit = pinned && announced < site.Since
            ? $"this process is pinned to {api.Name} {announced} by Conductor:ApiVersionPins:{api.Name}; raise or remove the pin once the conductor serves {site.Since}"
            : $"upgrade the conductor first, or call only members of {api.Name} {settled}";
        return new VersionNotSupportedException(
            $"{site.MethodName} needs {api.Name} {site.Since}, but the connection to the conductor at {_endpoint} speaks {api.Name} {settled}: {limit}.");
    }
}
