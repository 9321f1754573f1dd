using Conductor.Abstractions;
using Conductor.Abstractions.Admin;
using Conductor.Proxy;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.Reliability.Tests;

internal static class Clients
{
    public static ServiceProvider Create(string endpoint, string host, ConductorRole role = ConductorRole.Compute, Action<ConductorClientOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddConductorClient(o =>
            {
                o.Endpoint = endpoint;
                o.HostName = host;
                o.Role = role;
                o.ClientName = "reliability-tests";
                o.ConnectTimeout = TimeSpan.FromSeconds(5);
                o.CallTimeout = TimeSpan.FromSeconds(60);
                o.MaxReconnectDelay = TimeSpan.FromMilliseconds(200);
                configure?.Invoke(o);
            })
            .AddApi<IInstanceAdminRepository>();
        return services.BuildServiceProvider();
    }
}
