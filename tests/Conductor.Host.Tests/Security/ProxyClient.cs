using Conductor.Abstractions.Admin;
using Conductor.Proxy;
using Conductor.Proxy.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.Host.Tests.Security;

/// <summary>A well-behaved client: the real proxy, authenticated with a credential, in its own container.</summary>
internal static class ProxyClient
{
    public static ServiceProvider Create(string endpoint, HostCredential credential, Action<ConductorClientOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddConductorClient(o =>
            {
                o.Endpoint = endpoint;
                o.Role = credential.Role;
                o.HostName = credential.Name;
                o.ClientName = "security-tests";
                o.Credentials = credential.Export();
                o.CallTimeout = SecureConductor.Timeout;
                o.ConnectTimeout = SecureConductor.Timeout;
                configure?.Invoke(o);
            })
            .AddApi<IInstanceAdminRepository>()
            .AddApi<IServiceAdminRepository>()
            .AddApi<ICredentialAdminRepository>();
        return services.BuildServiceProvider();
    }
}
