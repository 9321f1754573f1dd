using Conductor.Abstractions;

namespace Conductor.Proxy.Internal;

/// <summary>Calls a member that returns <see cref="Task{TResult}"/>.</summary>
/// <typeparam name="T">The result type.</typeparam>
internal sealed class TaskMemberInvoker<T>(ConductorMemberDescriptor member, CallSite site, ConductorConnection connection) : MemberInvoker(member, site, connection)
{
    public override object Invoke(object?[] arguments)
    {
        object?[] wire = WireArguments(arguments, out CancellationToken cancellationToken);
        return Connection.InvokeAsync<T>(Site, wire, cancellationToken);
    }
}
