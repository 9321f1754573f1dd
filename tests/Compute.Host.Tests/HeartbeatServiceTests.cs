using Conductor.Abstractions;
using Conductor.Abstractions.Compute;

namespace Compute.Host.Tests;

[TestClass]
public sealed class HeartbeatServiceTests
{
    [TestMethod]
    public async Task ExecuteAsync_ConductorAvailable_RegistersThenHeartbeatsAndReportsUsage()
    {
        // Arrange
        await using var harness = new ComputeHostHarness();
        harness.Driver.Run(harness.Instances.Add("web-1", VmState.Active, TaskState.None, new Flavor { Vcpus = 2, MemoryMb = 2048, DiskGb = 20 }));
        harness.Driver.Run(harness.Instances.Add("web-2", VmState.Active, TaskState.None, new Flavor { Vcpus = 4, MemoryMb = 8192, DiskGb = 40 }));
        var service = harness.Heartbeat;

        // Act
        await service.StartAsync(TestTimeout.Token);
        string firstCall = await harness.Services.Calls.Reader.ReadAsync(TestTimeout.Token);
        ComputeNodeReport first = await harness.Nodes.Reports.Reader.ReadAsync(TestTimeout.Token);
        harness.Driver.Run(harness.Instances.Add("db-1", VmState.Active, TaskState.None, new Flavor { Vcpus = 8, MemoryMb = 16384, DiskGb = 100 }));
        TimeSpan period = await harness.Time.TimersCreated.Reader.ReadAsync(TestTimeout.Token);
        harness.Time.Advance(period);
        string secondCall = await harness.Services.Calls.Reader.ReadAsync(TestTimeout.Token);
        ComputeNodeReport second = await harness.Nodes.Reports.Reader.ReadAsync(TestTimeout.Token);
        await service.StopAsync(TestTimeout.Token);

        // Assert
        Assert.AreEqual("register", firstCall);
        Assert.AreEqual("heartbeat", secondCall);
        Assert.AreEqual(TimeSpan.FromSeconds(10), period);
        ServiceRegistration registration = harness.Services.Registrations.Single();
        Assert.AreEqual("compute-host", registration.Binary);
        Assert.IsFalse(string.IsNullOrWhiteSpace(registration.Version));
        Assert.AreEqual((16, 32768, 500, "simulated"), (first.VcpusTotal, first.MemoryMbTotal, first.DiskGbTotal, first.HypervisorType));
        Assert.AreEqual((6, 10240, 60), (first.VcpusUsed, first.MemoryMbUsed, first.DiskGbUsed));
        Assert.AreEqual((14, 26624, 160), (second.VcpusUsed, second.MemoryMbUsed, second.DiskGbUsed));
        Assert.IsTrue(service.ExecuteTask!.IsCompletedSuccessfully);
    }

    [TestMethod]
    public async Task ExecuteAsync_ConductorUnavailableDuringRegistration_RetriesSameRequestAndKeepsRunning()
    {
        // Arrange
        await using var harness = new ComputeHostHarness();
        harness.Services.FailNextRegistration(new ConductorUnavailableException("The conductor is down."));
        harness.Services.FailNextRegistration(new ConductorUnavailableException("The conductor is down."));
        var service = harness.Heartbeat;

        // Act
        await service.StartAsync(TestTimeout.Token);
        var backoffs = new List<TimeSpan>();
        for (int failure = 0; failure < 2; failure++)
        {
            Assert.AreEqual("register", await harness.Services.Calls.Reader.ReadAsync(TestTimeout.Token));
            TimeSpan backoff = await harness.Time.TimersCreated.Reader.ReadAsync(TestTimeout.Token);
            backoffs.Add(backoff);
            harness.Time.Advance(backoff);
        }

        Assert.AreEqual("register", await harness.Services.Calls.Reader.ReadAsync(TestTimeout.Token));
        await harness.Nodes.Reports.Reader.ReadAsync(TestTimeout.Token);
        bool runningAfterRecovery = !service.ExecuteTask!.IsCompleted;
        await service.StopAsync(TestTimeout.Token);

        // Assert
        Assert.IsTrue(runningAfterRecovery, "The heartbeat service stopped although the conductor came back.");
        CollectionAssert.AreEqual(new[] { TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1) }, backoffs);
        IReadOnlyList<ServiceRegistration> tries = harness.Services.Registrations;
        Assert.AreEqual(3, tries.Count);
        Assert.AreEqual(1, tries.Select(r => r.RequestId).Distinct().Count(), "Every retry must reuse the first try's request id.");
        Assert.IsTrue(service.ExecuteTask.IsCompletedSuccessfully);
    }

    [TestMethod]
    public async Task ExecuteAsync_ConductorLostServiceRecord_RegistersAgain()
    {
        // Arrange
        await using var harness = new ComputeHostHarness();
        var service = harness.Heartbeat;
        await service.StartAsync(TestTimeout.Token);
        await harness.Services.Calls.Reader.ReadAsync(TestTimeout.Token);
        await harness.Nodes.Reports.Reader.ReadAsync(TestTimeout.Token);
        TimeSpan period = await harness.Time.TimersCreated.Reader.ReadAsync(TestTimeout.Token);
        harness.Services.Forget();

        // Act
        harness.Time.Advance(period);
        string call = await harness.Services.Calls.Reader.ReadAsync(TestTimeout.Token);
        await harness.Nodes.Reports.Reader.ReadAsync(TestTimeout.Token);
        await service.StopAsync(TestTimeout.Token);

        // Assert
        Assert.AreEqual("register", call);
        Assert.AreEqual(2, harness.Services.Registrations.Count);
        Assert.IsTrue(service.ExecuteTask!.IsCompletedSuccessfully);
    }
}
