using Castle.DynamicProxy;
using Conductor.Abstractions;

namespace Conductor.Proxy.Internal;

/// <summary>Creates the proxies. Holds the process's one <see cref="ProxyGenerator"/>, whose generated types are cached.</summary>
internal sealed class ConductorProxyFactory(ConductorConnection connection)
{
    private static readonly ProxyGenerator s_generator = new();

    public object Create(ConductorApiDescriptor api) =>
        s_generator.CreateInterfaceProxyWithoutTarget(api.InterfaceType, new ConductorInterceptor(api, connection));
}
