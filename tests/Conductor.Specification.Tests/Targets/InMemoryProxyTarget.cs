using Conductor.Abstractions;
using Conductor.Host.Rpc;
using Microsoft.Extensions.DependencyInjection;
using Nerdbank.Streams;

namespace Conductor.Specification.Tests.Targets;

/// <summary>Proxies over an in-memory duplex stream to the conductor's RPC server in this process.</summary>
public sealed class InMemoryProxyTarget : ConductorTarget
{
    private readonly ServiceProvider _conductor;
    private readonly ConductorServer _server;

    public InMemoryProxyTarget()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddConductorServer(o => o.DataDirectory = DataDirectory);
        _conductor = services.BuildServiceProvider();
        _server = _conductor.GetRequiredService<ConductorServer>();
    }

    public override async Task<ConductorClient> ConnectAsync(string hostName, ConductorRole role = ConductorRole.Compute) =>
        Clients.CreateProxy(hostName, role, await CredentialAsync(_conductor, hostName, role), o =>
        {
            o.Endpoint = "memory://conductor";
            o.ConnectionFactory = cancellationToken =>
            {
                (Stream client, Stream server) = FullDuplexStream.CreatePair();
                _ = _server.ServeAsync(server, "memory");
                return new ValueTask<Stream>(client);
            };
        });

    public override async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _conductor.DisposeAsync();
        await base.DisposeAsync();
    }
}
