using System.Collections.Frozen;
using System.Reflection;
using Castle.DynamicProxy;
using Conductor.Abstractions;

namespace Conductor.Proxy.Internal;

/// <summary>
/// The interceptor behind every proxy of one API. It implements <see cref="IInterceptor"/> directly rather than
/// Castle's <c>AsyncInterceptorBase</c>: each member's invoker is built once, so a call is one frozen-dictionary
/// lookup and the invoker's own work, with no per-call generic dispatch or reflection.
/// </summary>
internal sealed class ConductorInterceptor : IInterceptor
{
    private readonly FrozenDictionary<MethodInfo, MemberInvoker> _invokers;

    public ConductorInterceptor(ConductorApiDescriptor api, ConductorConnection connection)
    {
        _invokers = api.Members.ToFrozenDictionary(m => m.Method, m => MemberInvoker.Create(api, m, connection));
    }

    public void Intercept(IInvocation invocation)
    {
        if (!_invokers.TryGetValue(invocation.Method, out MemberInvoker? invoker))
        {
            throw new NotSupportedException($"{invocation.Method.DeclaringType?.Name}.{invocation.Method.Name} is not a conductor API member and cannot be called through the proxy.");
        }

        invocation.ReturnValue = invoker.Invoke(invocation.Arguments);
    }
}
