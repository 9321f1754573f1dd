using Conductor.Abstractions;
using Conductor.Abstractions.Compute;
using Conductor.Specification.Tests.Targets;

namespace Conductor.Specification.Tests;

/// <summary>
/// The contract of the conductor APIs, written once and run against every implementation: the direct LiteDB
/// repositories, the proxy over an in-memory stream, and the proxy over TCP.
/// </summary>
public abstract partial class ConductorSpecification
{
    protected static readonly Flavor Small = new() { Vcpus = 1, MemoryMb = 512, DiskGb = 1 };

    public TestContext TestContext { get; set; } = null!;

    protected ConductorTarget Target { get; private set; } = null!;

    protected ConductorClient Admin { get; private set; } = null!;

    protected CancellationToken Token => TestContext.CancellationToken;

    [TestInitialize]
    public async Task InitializeAsync()
    {
        Target = await CreateTargetAsync();
        Admin = await Target.ConnectAsync("operator", ConductorRole.Admin);
    }

    [TestCleanup]
    public async Task CleanupAsync()
    {
        await Admin.DisposeAsync();
        await Target.DisposeAsync();
    }

    protected abstract Task<ConductorTarget> CreateTargetAsync();

    /// <summary>Connects a compute host, registers it and reports capacity.</summary>
    protected async Task<ConductorClient> AddHostAsync(string host, int vcpus = 64, int memoryMb = 262144, int diskGb = 10000)
    {
        ConductorClient client = await Target.ConnectAsync(host);
        await client.Services.RegisterAsync(new ServiceRegistration { Binary = "compute-host", Version = "1.0.0" }, Token);
        await client.Nodes.ReportAsync(new ComputeNodeReport { VcpusTotal = vcpus, MemoryMbTotal = memoryMb, DiskGbTotal = diskGb, HypervisorType = "simulated" }, Token);
        return client;
    }

    protected Task<Instance> CreateInstanceAsync(string name = "vm", Flavor? flavor = null) =>
        Admin.AdminInstances.CreateAsync(new InstanceCreate { Name = name, Flavor = flavor ?? Small }, Token);

    protected static void AssertUtcMilliseconds(DateTime value)
    {
        Assert.AreEqual(DateTimeKind.Utc, value.Kind, "Times are UTC.");
        Assert.AreEqual(0, value.Ticks % TimeSpan.TicksPerMillisecond, "Times have millisecond precision.");
    }
}
