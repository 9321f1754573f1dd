using System.Net;
using System.Net.Sockets;
using Conductor.Host.Rpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Conductor.Host.Tests.Rpc;

/// <summary>
/// A real conductor (listener, server, LiteDB) in this process, listening on a free loopback TCP port and on a
/// Unix socket in a temporary data directory, serving the built-in APIs and <see cref="IWireTestApi"/>.
/// </summary>
internal sealed class WireConductor : IAsyncDisposable
{
    private readonly IHost _host;

    private WireConductor(IHost host, string dataDirectory, EndpointsFile endpoints)
    {
        _host = host;
        DataDirectory = dataDirectory;
        Endpoints = endpoints;
        Signals = host.Services.GetRequiredService<WireTestSignals>();
    }

    public string DataDirectory { get; }

    /// <summary>Gets what the conductor wrote to its endpoints file.</summary>
    public EndpointsFile Endpoints { get; }

    public WireTestSignals Signals { get; }

    /// <summary>Gets the TCP endpoint to connect to.</summary>
    public IPEndPoint Tcp => IPEndPoint.Parse(Endpoints.Tcp!["tcp://".Length..]);

    /// <summary>Gets the Unix socket endpoint to connect to.</summary>
    public UnixDomainSocketEndPoint Unix => new(Endpoints.Unix!["unix:".Length..]);

    public static async Task<WireConductor> StartAsync(Action<ConductorOptions>? configure = null)
    {
        HostApplicationBuilder builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        string dataDirectory = Path.Combine(Path.GetTempPath(), "conductor-wire", Guid.NewGuid().ToString("N"));
        builder.Services.AddSingleton<WireTestSignals>();
        builder.Services
            .AddConductorServer(o =>
            {
                o.DataDirectory = dataDirectory;
                o.TcpEndpoint = "127.0.0.1:0";
                o.UnixSocketPath = "conductor.sock";
                configure?.Invoke(o);
            })
            .AddApi<IWireTestApi, WireTestApi>();
        IHost host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        EndpointsFile endpoints = host.Services.GetServices<IHostedService>().OfType<ConductorListener>().Single().Endpoints!;
        return new WireConductor(host, dataDirectory, endpoints);
    }

    public Task<WireConnection> ConnectAsync(CancellationToken cancellationToken) => WireConnection.ConnectAsync(Tcp, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Unique per conductor; a leftover in the temp directory is harmless.
        }
    }
}
