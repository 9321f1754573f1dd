using Conductor.Abstractions;
using Conductor.Abstractions.Admin;
using Conductor.Proxy;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.Compat.Tests;

/// <summary>Today's proxies in this process: an operator, or a compute host built from today's contract.</summary>
internal static class TodaysClients
{
    public static ServiceProvider Admin(string endpoint)
    {
        var services = new ServiceCollection();
        services.AddConductorClient(o => Configure(o, endpoint, "operator", ConductorRole.Admin))
            .AddApi<IInstanceAdminRepository>()
            .AddApi<IServiceAdminRepository>();
        return services.BuildServiceProvider();
    }

    public static ServiceProvider Compute(string endpoint, string host, Action<IConductorClientBuilder>? apis = null)
    {
        var services = new ServiceCollection();
        IConductorClientBuilder builder = services.AddConductorClient(o => Configure(o, endpoint, host, ConductorRole.Compute));
        apis?.Invoke(builder);
        return services.BuildServiceProvider();
    }

    private static void Configure(ConductorClientOptions options, string endpoint, string host, ConductorRole role)
    {
        options.Endpoint = endpoint;
        options.HostName = host;
        options.Role = role;
        options.ClientName = "compat-tests";
        options.CallTimeout = TimeSpan.FromSeconds(30);
        options.ConnectTimeout = TimeSpan.FromSeconds(10);
    }
}
