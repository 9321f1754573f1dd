using Conductor.Abstractions;
using Conductor.Abstractions.Admin;
using Conductor.Abstractions.Compute;
using Conductor.Abstractions.Wire;
using Conductor.Host.Rpc;
using Conductor.Proxy;
using Microsoft.Extensions.DependencyInjection;
using Nerdbank.Streams;
using StreamJsonRpc;

namespace Conductor.Host.Tests.Versioning;

/// <summary>
/// A conductor (RPC server, LiteDB in a temporary directory) in this process, reached through the real proxy over
/// in-memory duplex streams, or through a raw JSON-RPC connection that shows exactly what crosses the wire.
/// </summary>
internal sealed class InProcessConductor : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly ServiceProvider _provider;
    private readonly List<ServiceProvider> _clients = [];
    private readonly List<JsonRpc> _raw = [];

    private InProcessConductor(ServiceProvider provider, string dataDirectory)
    {
        _provider = provider;
        DataDirectory = dataDirectory;
        Server = provider.GetRequiredService<ConductorServer>();
    }

    public ConductorServer Server { get; }

    public string DataDirectory { get; }

    public IServiceProvider Services => _provider;

    /// <summary>Starts a conductor; the server is built at once, so bad settings throw here.</summary>
    public static InProcessConductor Start(Action<ConductorOptions>? configure = null, Action<IConductorServerBuilder>? serve = null)
    {
        string dataDirectory = Path.Combine(Path.GetTempPath(), "conductor-tests", Guid.NewGuid().ToString("N"));
        var services = new ServiceCollection();
        services.AddLogging();
        IConductorServerBuilder builder = services.AddConductorServer(o =>
        {
            o.DataDirectory = dataDirectory;
            configure?.Invoke(o);
        });
        serve?.Invoke(builder);
        ServiceProvider provider = services.BuildServiceProvider();
        try
        {
            return new InProcessConductor(provider, dataDirectory);
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }

    /// <summary>A client process in miniature: its own container and connection, with the built-in compute APIs and any added.</summary>
    public ServiceProvider Client(string hostName, ConductorRole role = ConductorRole.Compute, Action<IConductorClientBuilder>? apis = null, Action<ConductorClientOptions>? configure = null)
    {
        var services = new ServiceCollection();
        IConductorClientBuilder builder = services.AddConductorClient(o =>
        {
            o.HostName = hostName;
            o.Role = role;
            o.ClientName = "versioning-tests";
            o.Endpoint = "memory://conductor";
            o.ConnectionFactory = _ => new ValueTask<Stream>(Connect());
            o.CallTimeout = Timeout;
            o.ConnectTimeout = Timeout;
            configure?.Invoke(o);
        });
        if (role == ConductorRole.Admin)
        {
            builder.AddApi<IInstanceAdminRepository>().AddApi<IServiceAdminRepository>();
        }

        apis?.Invoke(builder);
        ServiceProvider provider = services.BuildServiceProvider();
        _clients.Add(provider);
        return provider;
    }

    /// <summary>Opens a raw JSON-RPC connection and sends a handshake announcing <paramref name="apis"/>.</summary>
    public async Task<(JsonRpc Rpc, HandshakeResponse Handshake)> RawAsync(string hostName, IReadOnlyDictionary<string, string> apis, ConductorRole role = ConductorRole.Compute)
    {
        var rpc = new JsonRpc(ConductorWireFormat.CreateMessageHandler(Connect()));
        _raw.Add(rpc);
        rpc.StartListening();
        using var timeout = new CancellationTokenSource(Timeout);
        HandshakeResponse response = await rpc.InvokeWithCancellationAsync<HandshakeResponse>(
            ConductorWire.HandshakeMethod,
            [new HandshakeRequest { ClientName = "raw-test", Role = role, HostName = hostName, Apis = apis }],
            timeout.Token);
        return (rpc, response);
    }

    /// <summary>Registers a compute host with room for instances and creates one instance on it through the admin API.</summary>
    public async Task<Instance> SeedInstanceAsync(string hostName, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        ServiceProvider compute = Client(hostName);
        await compute.GetRequiredService<IServiceRepository>().RegisterAsync(new ServiceRegistration { Binary = "compute-host", Version = "test" }, timeout.Token);
        await compute.GetRequiredService<IComputeNodeRepository>().ReportAsync(
            new ComputeNodeReport { VcpusTotal = 8, MemoryMbTotal = 8192, DiskGbTotal = 100, HypervisorType = "simulated" }, timeout.Token);
        ServiceProvider admin = Client("operator", ConductorRole.Admin);
        return await admin.GetRequiredService<IInstanceAdminRepository>().CreateAsync(
            new InstanceCreate { Name = "vm", Flavor = new Flavor { Vcpus = 1, MemoryMb = 512, DiskGb = 1 }, Metadata = metadata },
            timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (JsonRpc rpc in _raw)
        {
            rpc.Dispose();
        }

        foreach (ServiceProvider client in _clients)
        {
            await client.DisposeAsync();
        }

        await Server.DisposeAsync();
        await _provider.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Unique per test; a leftover in the temp directory is harmless.
        }
    }

    private Stream Connect()
    {
        (Stream client, Stream server) = FullDuplexStream.CreatePair();
        _ = Server.ServeAsync(server, "memory");
        return client;
    }
}
