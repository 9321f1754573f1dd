using Conductor.Abstractions;

namespace Conductor.Proxy.Internal;

/// <summary>Calls a member that returns <see cref="Task"/>.</summary>
internal sealed class TaskMemberInvoker(ConductorMemberDescriptor member, ConductorConnection connection) : MemberInvoker(member, connection)
{
    public override object Invoke(object?[] arguments)
    {
        object?[] wire = WireArguments(arguments, out CancellationToken cancellationToken);
        return Connection.InvokeAsync<object?>(Member, wire, cancellationToken);
    }
}
