using Conductor.Abstractions;
using Conductor.Abstractions.Admin;
using Conductor.Abstractions.Compute;
using Conductor.Host.Rpc;
using Conductor.Host.Security;
using Conductor.Host.Storage;
using Conductor.Proxy.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Conductor.Benchmarks.Infrastructure;

/// <summary>
/// A real conductor (LiteDB database in a temporary data directory, RPC server, TCP listener on a free loopback port)
/// started in this process, with one compute host registered and instances placed on it.
/// </summary>
public sealed class BenchConductor : IAsyncDisposable
{
    /// <summary>The compute host the seeded instances are placed on.</summary>
    public const string HostName = "bench-compute-1";

    private readonly IHost _host;
    private readonly string _dataDirectory;

    private BenchConductor(IHost host, string dataDirectory, string tcpEndpoint, IReadOnlyList<Guid> instances, HostCredential credential)
    {
        _host = host;
        Credential = credential;
        _dataDirectory = dataDirectory;
        TcpEndpoint = tcpEndpoint;
        Instances = instances;
    }

    /// <summary>Gets the conductor's TCP endpoint, as <c>tcp://127.0.0.1:port</c>.</summary>
    public string TcpEndpoint { get; }

    /// <summary>Gets <see cref="HostName"/>'s credential, issued as <c>conductor hosts add</c> would, for clients that connect.</summary>
    public HostCredential Credential { get; }

    /// <summary>Gets the identifiers of the seeded instances, all on <see cref="HostName"/>, all with no task state.</summary>
    public IReadOnlyList<Guid> Instances { get; }

    /// <summary>Gets the conductor's database, for the floors that call LiteDB without the repository.</summary>
    internal LiteDbConductorDatabase Database => _host.Services.GetRequiredService<LiteDbConductorDatabase>();

    /// <summary>Gets the conductor's sync of LiteDB's files (what group commit runs).</summary>
    internal IStorageSync Sync => _host.Services.GetRequiredService<IStorageSync>();

    /// <summary>Gets the conductor's RPC server, for in-memory connections.</summary>
    internal ConductorServer Server => _host.Services.GetRequiredService<ConductorServer>();

    /// <summary>Starts a conductor and places <paramref name="instanceCount"/> instances on <see cref="HostName"/>.</summary>
    /// <param name="instanceCount">How many instances to create.</param>
    /// <param name="instanceWriteCacheSize">The conductor's <c>InstanceWriteCacheSize</c>, or <see langword="null"/> for its default; 0 makes every read a LiteDB query.</param>
    /// <returns>The running conductor.</returns>
    public static async Task<BenchConductor> StartAsync(int instanceCount, int? instanceWriteCacheSize = null)
    {
        string dataDirectory = Path.Combine(Path.GetTempPath(), "conductor-bench", Guid.NewGuid().ToString("N"));
        // As `Conductor.Host serve` does: the content root is the binaries' directory. The default (the working
        // directory) would have the configuration reload watch that whole tree, and profiles of runs from a directory
        // that held the data showed the watcher processing an inotify event for every LiteDB write.
        HostApplicationBuilder builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(
            new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddConductorServer(o =>
        {
            o.DataDirectory = dataDirectory;
            o.TcpEndpoint = "127.0.0.1:0";
            o.InstanceWriteCacheSize = instanceWriteCacheSize ?? o.InstanceWriteCacheSize;
        });
        IHost host = builder.Build();
        await host.StartAsync().ConfigureAwait(false);
        string endpoint = host.Services.GetServices<IHostedService>().OfType<ConductorListener>().Single().Endpoints!.Tcp!;
        HostCredential credential = await host.Services.GetRequiredService<CredentialStore>().IssueAsync(HostName, ConductorRole.Compute, replace: false, CancellationToken.None).ConfigureAwait(false);

        var instances = new List<Guid>(instanceCount);
        await using (DirectScope compute = DirectScope.Create(host.Services, ConductorRole.Compute, HostName))
        {
            await compute.Get<IServiceRepository>().RegisterAsync(new ServiceRegistration { Binary = "compute-host", Version = "1.0.0" }, CancellationToken.None).ConfigureAwait(false);
            await compute.Get<IComputeNodeRepository>().ReportAsync(
                new ComputeNodeReport { VcpusTotal = 100_000, MemoryMbTotal = 100_000_000, DiskGbTotal = 1_000_000, HypervisorType = "simulated" },
                CancellationToken.None).ConfigureAwait(false);
        }

        await using (DirectScope admin = DirectScope.Create(host.Services, ConductorRole.Admin, "bench-operator"))
        {
            var flavor = new Flavor { Vcpus = 1, MemoryMb = 512, DiskGb = 1 };
            for (int i = 0; i < instanceCount; i++)
            {
                Instance created = await admin.Get<IInstanceAdminRepository>().CreateAsync(
                    new InstanceCreate { Name = $"bench-vm-{i:D4}", Flavor = flavor }, CancellationToken.None).ConfigureAwait(false);
                instances.Add(created.Id);
            }
        }

        // As the host's spawn would: the instances are active with no task in progress, so updates can expect None.
        await using (DirectScope compute = DirectScope.Create(host.Services, ConductorRole.Compute, HostName))
        {
            foreach (Guid id in instances)
            {
                await compute.Get<IInstanceRepository>().UpdateAsync(
                    new InstanceUpdate { InstanceId = id, ExpectedTaskState = TaskState.Scheduling, TaskState = TaskState.None, VmState = VmState.Active, PowerState = PowerState.Running },
                    CancellationToken.None).ConfigureAwait(false);
            }
        }

        return new BenchConductor(host, dataDirectory, endpoint, instances, credential);
    }

    /// <summary>Gets how many durability waits the conductor's group commit has served, and with how many syncs.</summary>
    /// <returns>A line for the benchmark's log.</returns>
    public string DescribeGroupCommit()
    {
        long waits = Database.DurableWaitCount;
        long syncs = Database.SyncCount;
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"group commit: {waits} durable writes shared {syncs} syncs ({(syncs == 0 ? 0 : (double)waits / syncs):0.0} writes per sync)");
    }

    /// <summary>Opens a caller of the direct repositories, bound to <see cref="HostName"/> as a compute host.</summary>
    /// <returns>The caller's scope.</returns>
    public DirectScope OpenDirect() => DirectScope.Create(_host.Services, ConductorRole.Compute, HostName);

    /// <summary>Stops the conductor and deletes its data directory.</summary>
    /// <returns>A task that completes when everything is released.</returns>
    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync().ConfigureAwait(false);
        _host.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Unique per run; a leftover in the temp directory is harmless.
        }
    }
}
