using Conductor.Abstractions;
using Conductor.Host.Rpc;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.Specification.Tests.Targets;

/// <summary>The direct LiteDB repositories, resolved from the conductor's own registrations with a fixed caller.</summary>
public sealed class DirectTarget : ConductorTarget
{
    private readonly ServiceProvider _provider;

    public DirectTarget()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddConductorServer(o => o.DataDirectory = DataDirectory);
        _provider = services.BuildServiceProvider();
    }

    public override Task<ConductorClient> ConnectAsync(string hostName, ConductorRole role = ConductorRole.Compute)
    {
        AsyncServiceScope scope = _provider.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CallerContext>().Set(role, hostName, "spec", "direct", new Dictionary<string, ApiVersion>());
        return Task.FromResult(Clients.FromProvider(scope.ServiceProvider, scope));
    }

    public override async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        await base.DisposeAsync();
    }
}
