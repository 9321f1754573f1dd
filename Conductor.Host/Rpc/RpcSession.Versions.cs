using Conductor.Host.Versioning;
using Conductor.Proxy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StreamJsonRpc;

namespace Conductor.Host.Rpc;

/// <content>What the settled versions change for the connection, applied once at its handshake.</content>
internal sealed partial class RpcSession
{
    private void ApplyNegotiation(Negotiation negotiation)
    {
        _scope.ServiceProvider.GetRequiredService<ConnectionVersions>().Set(negotiation.Announced, negotiation.Settled);
        if (negotiation.Backport is { } backport)
        {
            // Before any target is added, so that no reply of this connection is written with the full shapes. The
            // handshake's own answer is written with these options too; it has no versioned fields.
            ConductorWireFormat.UseSerializerOptions(_rpc.Handler, backport);
            LogBackport(_logger, ConnectionId, Abstractions.Versioning.WireContract.Key(negotiation.Settled));
        }

        foreach ((ServedApi api, RpcTargetMetadata metadata) in negotiation.Exposed)
        {
            object target = _scope.ServiceProvider.GetRequiredService(api.Descriptor.InterfaceType);
            _rpc.AddLocalRpcTarget(metadata, target, api.TargetOptions);
        }
    }

    [LoggerMessage(13, LogLevel.Information, "Connection {ConnectionId} speaks older API versions ({Versions}); its replies are backported to them.")]
    private static partial void LogBackport(ILogger logger, string connectionId, string versions);
}
