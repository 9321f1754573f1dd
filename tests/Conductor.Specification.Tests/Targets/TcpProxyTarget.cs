using Conductor.Abstractions;
using Conductor.Host.Rpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Conductor.Specification.Tests.Targets;

/// <summary>Proxies over real loopback TCP to a conductor host (listener, server, database) started in this process.</summary>
public sealed class TcpProxyTarget : ConductorTarget
{
    private readonly IHost _host;
    private readonly string _endpoint;

    private TcpProxyTarget(IHost host, string endpoint)
    {
        _host = host;
        _endpoint = endpoint;
    }

    public static async Task<TcpProxyTarget> StartAsync()
    {
        HostApplicationBuilder builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        string dataDirectory = Path.Combine(Path.GetTempPath(), "conductor-spec", Guid.NewGuid().ToString("N"));
        builder.Services.AddConductorServer(o =>
        {
            o.DataDirectory = dataDirectory;
            o.TcpEndpoint = "127.0.0.1:0";
        });
        IHost host = builder.Build();
        await host.StartAsync();
        string endpoint = host.Services.GetServices<IHostedService>().OfType<ConductorListener>().Single().Endpoints!.Tcp!;
        return new TcpProxyTarget(host, endpoint) { OwnDataDirectory = dataDirectory };
    }

    private string OwnDataDirectory { get; init; } = string.Empty;

    public override async Task<ConductorClient> ConnectAsync(string hostName, ConductorRole role = ConductorRole.Compute) =>
        Clients.CreateProxy(hostName, role, await CredentialAsync(_host.Services, hostName, role), o => o.Endpoint = _endpoint);

    public override async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        try
        {
            Directory.Delete(OwnDataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Unique per target.
        }

        await base.DisposeAsync();
    }
}
