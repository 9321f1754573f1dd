using Conductor.Abstractions.Compute;
using Conductor.Host.Repositories;
using Conductor.Host.Storage;
using Microsoft.Extensions.Options;

namespace Conductor.Host.Tests.Storage;

/// <summary>
/// A temporary data directory with an open <see cref="LiteDbConductorDatabase"/> and factories for the direct
/// repositories as any caller. Reusable by contract suites: dispose it to close the database and delete the directory.
/// </summary>
internal sealed class StorageFixture : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public StorageFixture(IStorageSync? sync = null, TimeProvider? time = null, string? dataDirectory = null, StorageSettings? settings = null)
    {
        DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "conductor-tests", Guid.NewGuid().ToString("N"));
        Options = Microsoft.Extensions.Options.Options.Create(new ConductorOptions { DataDirectory = DataDirectory, ServiceDownAfter = TimeSpan.FromSeconds(60) });
        Time = time ?? new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 13, 0, 0, TimeSpan.Zero));
        Sync = sync;
        Database = new LiteDbConductorDatabase(StoragePaths.For(DataDirectory), sync, settings: settings);
    }

    public string DataDirectory { get; }

    public IOptions<ConductorOptions> Options { get; }

    public TimeProvider Time { get; }

    public IStorageSync? Sync { get; }

    public LiteDbConductorDatabase Database { get; }

    /// <summary>Gets or sets whether disposing keeps the data directory (to reopen it, as a restarted conductor would).</summary>
    public bool KeepDirectory { get; set; }

    public IServiceRepository Services(string host) => new ServiceRepository(Database, new TestCaller(host), Time);

    public IComputeNodeRepository Nodes(string host) => new ComputeNodeRepository(Database, new TestCaller(host), Time);

    public IInstanceRepository Instances(string host) => new InstanceRepository(Database, new TestCaller(host), Time);

    public IInstanceActionRepository Actions(string host) => new InstanceActionRepository(Database, new TestCaller(host), Time);

    public Abstractions.Admin.IInstanceAdminRepository AdminInstances() => new InstanceAdminRepository(Database, Time, Options);

    public Abstractions.Admin.IServiceAdminRepository AdminServices() => new ServiceAdminRepository(Database, Time, Options);

    /// <summary>Registers a host's service and reports its node with the given capacity.</summary>
    public async Task AddHostAsync(string host, int vcpus = 64, int memoryMb = 262144, int diskGb = 10000)
    {
        using var cts = new CancellationTokenSource(Timeout);
        await Services(host).RegisterAsync(new ServiceRegistration { Binary = "compute-host", Version = "1.0" }, cts.Token);
        await Nodes(host).ReportAsync(new ComputeNodeReport { VcpusTotal = vcpus, MemoryMbTotal = memoryMb, DiskGbTotal = diskGb, HypervisorType = "simulated" }, cts.Token);
    }

    /// <summary>Creates an instance through the admin API with a small flavor.</summary>
    public async Task<Instance> CreateInstanceAsync(string name = "vm", Flavor? flavor = null)
    {
        using var cts = new CancellationTokenSource(Timeout);
        return await AdminInstances().CreateAsync(
            new InstanceCreate { Name = name, Flavor = flavor ?? new Flavor { Vcpus = 1, MemoryMb = 512, DiskGb = 1 } },
            cts.Token);
    }

    public void Dispose()
    {
        (Sync as GatedStorageSync)?.Open();
        Database.Dispose();
        if (KeepDirectory)
        {
            return;
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the temp directory is unique per fixture.
        }
    }
}
