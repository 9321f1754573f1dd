using Conductor.Abstractions;

namespace Conductor.Proxy.Internal;

/// <summary>Calls a member that returns <see cref="Task"/>.</summary>
internal sealed class TaskMemberInvoker(ConductorMemberDescriptor member, CallSite site, ConductorConnection connection) : MemberInvoker(member, site, connection)
{
    public override object Invoke(object?[] arguments)
    {
        object?[] wire = WireArguments(arguments, out CancellationToken cancellationToken);
        return Connection.InvokeAsync<object?>(Site, wire, cancellationToken);
    }
}
