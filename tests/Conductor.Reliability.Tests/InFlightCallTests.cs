using System.Diagnostics;
using Conductor.Abstractions;
using Conductor.Abstractions.Admin;
using Conductor.Abstractions.Compute;
using Conductor.CrashLoop;
using Conductor.Processes;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.Reliability.Tests;

/// <summary>Calls in flight when the real conductor process is killed: the relay holds the replies so the kill lands mid-call.</summary>
[TestClass]
public sealed class InFlightCallTests
{
    private LocalCluster _cluster = null!;

    public TestContext TestContext { get; set; } = null!;

    /// <summary>Gets the conductor's data directory, which holds the admin credential it made at first start.</summary>
    private string Data => _cluster.DataDirectory;

    [TestInitialize]
    public void CreateCluster() => _cluster = LocalCluster.Create(HostBinaries.Locate(), new ProcessLog(echo: null));

    /// <summary>Kills whatever conductor still runs and deletes the cluster's directory.</summary>
    [TestCleanup]
    public async Task DisposeClusterAsync() => await _cluster.DisposeAsync();

    [TestMethod]
    public async Task Update_ReplyLostAndConductorKilled_ResentWithSameIdAfterRestartAndAppliedOnce()
    {
        CancellationToken token = TestContext.CancellationToken;
        ChildProcess conductor = await _cluster.StartConductorAsync(token);
        await using var relay = new TcpRelay(_cluster.Port);
        string credential = await ConductorCredentials.IssueAsync(_cluster.Endpoint, Data, "host-1", token);
        await using ServiceProvider compute = Clients.Create(relay.Endpoint, "host-1", configure: o =>
        {
            o.Credentials = credential;
            o.InFlightRetryWindow = TimeSpan.FromSeconds(60);
        });
        await using ServiceProvider admin = Clients.Create(_cluster.Endpoint, ConductorCredentials.AdminName, ConductorRole.Admin, o => ConductorCredentials.UseAdmin(o, Data));
        Instance created = await SetUpInstanceAsync(compute, admin, token);
        IInstanceAdminRepository operators = admin.GetRequiredService<IInstanceAdminRepository>();
        relay.HoldReplies();
        var spawn = new InstanceUpdate { InstanceId = created.Id, ExpectedTaskState = TaskState.Scheduling, TaskState = TaskState.Spawning };

        Task<Instance> update = compute.GetRequiredService<IInstanceRepository>().UpdateAsync(spawn, token);
        await TestWait.UntilAsync(async () => (await operators.GetAsync(created.Id, token)).TaskState == TaskState.Spawning, "the conductor to apply the update", token);
        Instance applied = await operators.GetAsync(created.Id, token);
        await _cluster.KillAsync(conductor);
        relay.Resume();
        await _cluster.StartConductorAsync(token);
        Instance answered = await update.WaitAsync(TestWait.Bound, token);

        // Without the request ledger the resent compare-and-swap would have failed (the state is no longer Scheduling).
        Assert.AreEqual(TaskState.Spawning, answered.TaskState);
        Assert.AreEqual(applied.Revision, answered.Revision, "The caller got the original outcome.");
        Assert.AreEqual(applied.Revision, (await operators.GetAsync(created.Id, token)).Revision, "The write was applied once, not twice.");
    }

    [TestMethod]
    public async Task Read_ConductorKilledMidCall_RepeatedAfterRestart()
    {
        CancellationToken token = TestContext.CancellationToken;
        ChildProcess conductor = await _cluster.StartConductorAsync(token);
        await using var relay = new TcpRelay(_cluster.Port);
        string credential = await ConductorCredentials.IssueAsync(_cluster.Endpoint, Data, "host-1", token);
        await using ServiceProvider compute = Clients.Create(relay.Endpoint, "host-1", configure: o =>
        {
            o.Credentials = credential;
            o.InFlightRetryWindow = TimeSpan.FromSeconds(60);
        });
        await using ServiceProvider admin = Clients.Create(_cluster.Endpoint, ConductorCredentials.AdminName, ConductorRole.Admin, o => ConductorCredentials.UseAdmin(o, Data));
        Instance created = await SetUpInstanceAsync(compute, admin, token);
        relay.HoldReplies();

        Task<Instance> read = compute.GetRequiredService<IInstanceRepository>().GetAsync(created.Id, token);
        await _cluster.KillAsync(conductor);
        relay.Resume();
        await _cluster.StartConductorAsync(token);

        Assert.AreEqual(created.Id, (await read.WaitAsync(TestWait.Bound, token)).Id);
    }

    [TestMethod]
    public async Task Read_ConductorKilledAndNotRestarted_FailsWithinRetryWindowNotCallDeadline()
    {
        CancellationToken token = TestContext.CancellationToken;
        TimeSpan window = TimeSpan.FromSeconds(1);
        ChildProcess conductor = await _cluster.StartConductorAsync(token);
        await using var relay = new TcpRelay(_cluster.Port);
        string credential = await ConductorCredentials.IssueAsync(_cluster.Endpoint, Data, "host-1", token);
        await using ServiceProvider compute = Clients.Create(relay.Endpoint, "host-1", configure: o =>
        {
            o.Credentials = credential;
            o.InFlightRetryWindow = window;
            o.CallTimeout = TimeSpan.FromMinutes(5);
        });
        await using ServiceProvider admin = Clients.Create(_cluster.Endpoint, ConductorCredentials.AdminName, ConductorRole.Admin, o => ConductorCredentials.UseAdmin(o, Data));
        Instance created = await SetUpInstanceAsync(compute, admin, token);
        relay.HoldReplies();
        Task<Instance> read = compute.GetRequiredService<IInstanceRepository>().GetAsync(created.Id, token);

        var watch = Stopwatch.StartNew();
        await _cluster.KillAsync(conductor);
        ConductorUnavailableException error = await Assert.ThrowsExactlyAsync<ConductorUnavailableException>(() => read.WaitAsync(TestWait.Bound, token));

        Assert.IsLessThan(window * 10, watch.Elapsed, "The caller hears within the retry window (10x margin), long before the 5 minute call deadline.");
        StringAssert.Contains(error.Message, "was lost while instances.Get was in flight");
        StringAssert.Contains(error.Message, relay.Endpoint);
    }

    private static async Task<Instance> SetUpInstanceAsync(ServiceProvider compute, ServiceProvider admin, CancellationToken token)
    {
        await compute.GetRequiredService<IServiceRepository>().RegisterAsync(new ServiceRegistration { Binary = "tests", Version = "1" }, token);
        await compute.GetRequiredService<IComputeNodeRepository>().ReportAsync(
            new ComputeNodeReport { VcpusTotal = 8, MemoryMbTotal = 8192, DiskGbTotal = 100, HypervisorType = "simulated" }, token);
        return await admin.GetRequiredService<IInstanceAdminRepository>().CreateAsync(
            new InstanceCreate { Name = "vm", Flavor = new Flavor { Vcpus = 1, MemoryMb = 512, DiskGb = 1 } }, token);
    }
}
