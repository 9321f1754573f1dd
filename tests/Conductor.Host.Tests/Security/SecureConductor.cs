using System.Net;
using Conductor.Abstractions;
using Conductor.Host.Rpc;
using Conductor.Host.Security;
using Conductor.Host.Storage;
using Conductor.Proxy.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Conductor.Host.Tests.Security;

/// <summary>A real conductor (listener, server, LiteDB file) on a free loopback port in this process, with its log captured.</summary>
internal sealed class SecureConductor : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly IHost _host;

    private SecureConductor(IHost host, string dataDirectory, LogCapture log)
    {
        _host = host;
        DataDirectory = dataDirectory;
        Log = log;
        Endpoint = host.Services.GetServices<IHostedService>().OfType<ConductorListener>().Single().Endpoints!.Tcp!;
        Port = new Uri(Endpoint).Port;
    }

    public string DataDirectory { get; }

    public LogCapture Log { get; }

    /// <summary>Gets the published endpoint, <c>tcp://127.0.0.1:port</c> (or <c>tls://</c>).</summary>
    public string Endpoint { get; }

    public int Port { get; }

    public IPEndPoint TcpEndPoint => new(IPAddress.Loopback, Port);

    public IServiceProvider Services => _host.Services;

    /// <summary>Gets the database, for reading records directly (not through any API).</summary>
    public LiteDbConductorDatabase Database => Services.GetRequiredService<LiteDbConductorDatabase>();

    public ConductorServer Server => Services.GetRequiredService<ConductorServer>();

    public static async Task<SecureConductor> StartAsync(
        Action<ConductorSecurityOptions>? security = null,
        Action<ConductorOptions>? conductor = null,
        string? dataDirectory = null,
        Action<IConductorServerBuilder>? apis = null)
    {
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "conductor-tests", Guid.NewGuid().ToString("N"));
        var log = new LogCapture();
        HostApplicationBuilder builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(log);
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        IConductorServerBuilder server = builder.Services.AddConductorServer(o =>
        {
            o.DataDirectory = dataDirectory;
            o.TcpEndpoint = "127.0.0.1:0";
            conductor?.Invoke(o);
        });
        apis?.Invoke(server);
        if (security is not null)
        {
            builder.Services.Configure(security);
        }

        IHost host = builder.Build();
        await host.StartAsync();
        return new SecureConductor(host, dataDirectory, log);
    }

    /// <summary>Issues a credential, as <c>conductor hosts add</c> does.</summary>
    public Task<HostCredential> IssueAsync(string name, ConductorRole role = ConductorRole.Compute) =>
        Services.GetRequiredService<CredentialStore>().IssueAsync(name, role, replace: false, CancellationToken.None);

    /// <summary>Stops the conductor and keeps its data directory, for a restart.</summary>
    public async Task StopKeepingDataAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await StopKeepingDataAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Unique per test; a leftover in the temp directory is harmless.
        }
    }
}
