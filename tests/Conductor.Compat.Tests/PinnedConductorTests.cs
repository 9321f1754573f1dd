using Conductor.Abstractions;
using Conductor.Abstractions.Admin;
using Conductor.Abstractions.Compute;
using Conductor.Processes;
using Conductor.Proxy;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.Compat.Tests;

/// <summary>
/// N+1 against N: today's compute clients against a conductor process that serves only the previous version
/// (pinned with Conductor:ApiVersionPins, as an operator would during a rollback or before enabling 1.1).
/// </summary>
[TestClass]
public sealed class PinnedConductorTests
{
    private static readonly string[] s_servesOneZero =
        ["--Conductor:ApiVersionPins:instances", "1.0", "--Conductor:ApiVersionPins:admin.instances", "1.0"];

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Token => TestContext.CancellationToken;

    [TestMethod]
    public async Task TodaysClient_ConductorServingOneZero_CapsItselfAndReadsWritesCompareAndSwapsAndLists()
    {
        // Arrange
        await using ConductorProcess conductor = await ConductorProcess.StartAsync(Token, s_servesOneZero);
        await using ServiceProvider compute = TodaysClients.Compute(conductor.Endpoint, "compat-new");
        await using ServiceProvider admin = TodaysClients.Admin(conductor.Endpoint);
        await compute.GetRequiredService<IServiceRepository>().RegisterAsync(new ServiceRegistration { Binary = "compute-host", Version = "1.1.0" }, Token);
        await compute.GetRequiredService<IComputeNodeRepository>().ReportAsync(new ComputeNodeReport { VcpusTotal = 8, MemoryMbTotal = 8192, DiskGbTotal = 100, HypervisorType = "simulated" }, Token);
        Instance created = await admin.GetRequiredService<IInstanceAdminRepository>().CreateAsync(new InstanceCreate { Name = "vm", Flavor = new Flavor { Vcpus = 1, MemoryMb = 512, DiskGb = 1 } }, Token);
        var instances = compute.GetRequiredService<IInstanceRepository>();

        // Act
        Page<Instance> page = await instances.ListAsync(new PageRequest(), Token);
        Instance read = await instances.GetAsync(created.Id, Token);
        Instance claimed = await instances.UpdateAsync(new InstanceUpdate { InstanceId = created.Id, ExpectedTaskState = TaskState.Scheduling, TaskState = TaskState.Spawning }, Token);
        await Assert.ThrowsExactlyAsync<ConflictException>(() => instances.UpdateAsync(new InstanceUpdate { InstanceId = created.Id, ExpectedTaskState = TaskState.Scheduling, TaskState = TaskState.Spawning }, Token));
        VersionNotSupportedException tooNew = await Assert.ThrowsExactlyAsync<VersionNotSupportedException>(() => instances.GetManyAsync([created.Id], Token));

        // Assert
        Assert.AreEqual("1.0", compute.GetRequiredService<IConductorConnection>().Current!.Apis["instances"]);
        Assert.AreEqual(created.Id, page.Items.Single().Id);
        Assert.IsNull(read.Metadata, "A conductor serving 1.0 sends no metadata.");
        Assert.AreEqual(TaskState.Spawning, claimed.TaskState);
        Assert.AreEqual(
            $"instances.GetMany needs instances 1.1, but the connection to the conductor at {conductor.Endpoint} speaks instances 1.0: upgrade the conductor first, or call only members of instances 1.0.",
            tooNew.Message);
    }

    [TestMethod]
    public async Task TodaysClientThatNeedsOneOne_ConductorServingOneZero_RefusedWithUpgradeTheConductorFirst()
    {
        await using ConductorProcess conductor = await ConductorProcess.StartAsync(Token, s_servesOneZero);
        await using ServiceProvider compute = TodaysClients.Compute(conductor.Endpoint, "compat-new", b => b.WithoutBuiltInApis().AddApi<IInstancesNeedingOneOne>());

        VersionNotSupportedException error = await Assert.ThrowsExactlyAsync<VersionNotSupportedException>(
            () => compute.GetRequiredService<IConductorConnection>().ConnectAsync(Token));

        Assert.AreEqual(
            $"The conductor at {conductor.Endpoint} serves instances 1.0, but this compute host needs at least instances 1.1 (it speaks 1.1). Upgrade the conductor first: conductors are upgraded before the compute hosts they serve.",
            error.Message);
    }

    [TestMethod]
    public async Task TodaysComputeHost_ConductorServingOneZero_BuildsInstancesAndReapsWithoutGetMany()
    {
        // Arrange: the real worker process, polling fast and reaping at every pass.
        await using ConductorProcess conductor = await ConductorProcess.StartAsync(Token, s_servesOneZero);
        await using ChildProcess worker = Processes.Start(
            Executables.ComputeHost,
            [
                "--Conductor:Endpoint", conductor.Endpoint, "--Conductor:HostName", "compat-worker",
                "--Conductor:CredentialsFile", Credentials.ComputeFile(conductor.Endpoint, "compat-worker"),
                "--Compute:PollInterval", "00:00:00.200", "--Compute:ReapInterval", "00:00:00.200",
                "--Compute:SpawnTime", "00:00:00", "--Compute:HeartbeatInterval", "00:00:01",
                "--Logging:LogLevel:Compute.Host.Lifecycle.InstanceManager", "Debug",
            ]);
        Task<string> fellBack = worker.WaitForLineAsync("Reading the running instances one by one", 0, Processes.Timeout, Token);
        try
        {
            await using ServiceProvider admin = TodaysClients.Admin(conductor.Endpoint);
            var instances = admin.GetRequiredService<IInstanceAdminRepository>();
            await WaitForAsync(async () => (await admin.GetRequiredService<IServiceAdminRepository>().ListAsync(Token)).Any(s => s.Node is not null), "the worker to report its node");

            // Act
            Instance created = await instances.CreateAsync(new InstanceCreate { Name = "vm", Flavor = new Flavor { Vcpus = 1, MemoryMb = 512, DiskGb = 1 } }, Token);
            await WaitForAsync(async () => (await instances.GetAsync(created.Id, Token)).VmState == VmState.Active, "the instance to become active");
            await fellBack;
            await instances.DeleteAsync(new InstanceDeleteRequest { InstanceId = created.Id }, Token);
            await WaitForAsync(async () => (await instances.GetAsync(created.Id, Token)).VmState == VmState.Deleted, "the instance to be deleted");

            // Assert
            ServiceStatus service = (await admin.GetRequiredService<IServiceAdminRepository>().ListAsync(Token)).Single();
            Assert.AreEqual("1.1", service.Service.ApiVersions!["instances"], "The worker speaks 1.1; the pinned conductor settled it on 1.0.");
            Assert.IsFalse(worker.HasExited, "The worker kept running against the older conductor.");
            Assert.IsTrue(fellBack.IsCompletedSuccessfully, "The worker's reap read its running instance with instances.Get, as 1.0 allows, because the proxy refused GetMany.");
        }
        finally
        {
            await worker.KillAsync();
        }
    }

    private async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        // The conductor has no push notifications; poll its state until it holds or the deadline passes.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Token);
        deadline.CancelAfter(Processes.Timeout);
        while (!await condition())
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
            }
            catch (OperationCanceledException) when (!Token.IsCancellationRequested)
            {
                Assert.Fail($"Timed out after {Processes.Timeout.TotalSeconds} s waiting for {what}.");
            }
        }
    }
}
