using Conductor.Abstractions;

namespace Conductor.Proxy.Internal;

/// <summary>
/// The precompiled call of one contract member: built once per member when the proxy is created, so the call
/// path does no reflection and no generic dispatch.
/// </summary>
internal abstract class MemberInvoker
{
    protected MemberInvoker(ConductorMemberDescriptor member, CallSite site, ConductorConnection connection)
    {
        Member = member;
        Site = site;
        Connection = connection;
    }

    public ConductorMemberDescriptor Member { get; }

    /// <summary>Gets the member's call site: its wire name and the version it needs.</summary>
    public CallSite Site { get; }

    protected ConductorConnection Connection { get; }

    public static MemberInvoker Create(ConductorApiDescriptor api, ConductorMemberDescriptor member, ConductorConnection connection)
    {
        CallSite site = connection.CreateCallSite(api, member);
        if (member.ResultType is null)
        {
            return new TaskMemberInvoker(member, site, connection);
        }

        Type open = member.IsStream ? typeof(StreamMemberInvoker<>) : typeof(TaskMemberInvoker<>);
        return (MemberInvoker)Activator.CreateInstance(open.MakeGenericType(member.ResultType), member, site, connection)!;
    }

    /// <summary>Starts the call and returns what the interface method returns (a task or an async stream).</summary>
    /// <param name="arguments">The intercepted arguments, the cancellation token last.</param>
    /// <returns>The member's return value.</returns>
    public abstract object Invoke(object?[] arguments);

    /// <summary>Splits the intercepted arguments into the wire arguments and the cancellation token.</summary>
    /// <param name="arguments">The intercepted arguments.</param>
    /// <param name="cancellationToken">The trailing token.</param>
    /// <returns>The arguments to send.</returns>
    protected object?[] WireArguments(object?[] arguments, out CancellationToken cancellationToken)
    {
        int count = Member.ArgumentCount;
        cancellationToken = (CancellationToken)arguments[count]!;
        if (count == 0)
        {
            return [];
        }

        var wire = new object?[count];
        Array.Copy(arguments, wire, count);
        return wire;
    }
}
