using Conductor.Abstractions;
using Conductor.Abstractions.Admin;
using Conductor.Abstractions.Compute;
using Conductor.Proxy;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.Specification.Tests.Targets;

internal static class Clients
{
    public static ConductorClient FromProvider(IServiceProvider provider, IAsyncDisposable lifetime) => new(
        provider.GetRequiredService<IServiceRepository>(),
        provider.GetRequiredService<IComputeNodeRepository>(),
        provider.GetRequiredService<IInstanceRepository>(),
        provider.GetRequiredService<IInstanceActionRepository>(),
        provider.GetRequiredService<IInstanceAdminRepository>(),
        provider.GetRequiredService<IServiceAdminRepository>(),
        lifetime);

    /// <summary>A proxy client process in miniature: its own container and its own connection, authenticated with the credential.</summary>
    public static ConductorClient CreateProxy(string hostName, ConductorRole role, string credential, Action<ConductorClientOptions> transport)
    {
        var services = new ServiceCollection();
        services.AddConductorClient(o =>
            {
                o.HostName = hostName;
                o.Role = role;
                o.ClientName = "spec-tests";
                o.Credentials = credential;
                o.CallTimeout = TimeSpan.FromSeconds(30);
                transport(o);
            })
            .AddApi<IInstanceAdminRepository>()
            .AddApi<IServiceAdminRepository>();
        ServiceProvider provider = services.BuildServiceProvider();
        return FromProvider(provider, provider);
    }
}
