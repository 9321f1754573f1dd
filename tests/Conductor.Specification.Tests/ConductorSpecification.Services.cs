using Conductor.Abstractions;
using Conductor.Abstractions.Compute;

namespace Conductor.Specification.Tests;

public abstract partial class ConductorSpecification
{
    [TestMethod]
    public async Task Register_NewHost_StoresRecordUnderConnectionHostWithConductorClock()
    {
        await using var client = await Target.ConnectAsync("compute-a");
        DateTime before = DateTime.UtcNow.AddSeconds(-1);

        ServiceRecord record = await client.Services.RegisterAsync(new ServiceRegistration { Binary = "compute-host", Version = "1.2.3" }, Token);
        ServiceRecord read = await client.Services.GetAsync(Token);

        Assert.AreEqual("compute-a", record.Host);
        Assert.AreEqual("1.2.3", read.Version);
        Assert.IsFalse(read.Disabled);
        Assert.IsGreaterThanOrEqualTo(before, read.LastHeartbeatAtUtc);
        AssertUtcMilliseconds(read.LastHeartbeatAtUtc);
    }

    [TestMethod]
    public async Task Heartbeat_BeforeRegister_ThrowsNotFound()
    {
        await using var client = await Target.ConnectAsync("compute-a");

        await Assert.ThrowsExactlyAsync<NotFoundException>(() => client.Services.HeartbeatAsync(Token));
    }

    [TestMethod]
    public async Task Heartbeat_AfterRegister_StampsConductorTime()
    {
        await using var client = await Target.ConnectAsync("compute-a");
        ServiceRecord registered = await client.Services.RegisterAsync(new ServiceRegistration { Binary = "compute-host", Version = "1" }, Token);

        ServiceRecord beat = await client.Services.HeartbeatAsync(Token);

        Assert.IsGreaterThanOrEqualTo(registered.LastHeartbeatAtUtc, beat.LastHeartbeatAtUtc);
        Assert.AreEqual(registered.CreatedAtUtc, beat.CreatedAtUtc);
    }

    [TestMethod]
    public async Task Report_NegativeCapacity_ThrowsInvalidRequestAndStoresNothing()
    {
        await using var client = await Target.ConnectAsync("compute-a");

        await Assert.ThrowsExactlyAsync<InvalidRequestException>(() => client.Nodes.ReportAsync(
            new ComputeNodeReport { VcpusTotal = -1, MemoryMbTotal = 1, DiskGbTotal = 1, HypervisorType = "simulated" }, Token));

        await Assert.ThrowsExactlyAsync<NotFoundException>(() => client.Nodes.GetAsync(Token));
    }

    [TestMethod]
    public async Task ListServices_RegisteredHosts_AreUpWithNodeAndInstanceCount()
    {
        await using var a = await AddHostAsync("compute-a");
        await using var b = await AddHostAsync("compute-b");
        await CreateInstanceAsync();

        IReadOnlyList<ServiceStatus> services = await Admin.AdminServices.ListAsync(Token);

        CollectionAssert.AreEqual(new[] { "compute-a", "compute-b" }, services.Select(s => s.Service.Host).ToArray());
        Assert.IsTrue(services.All(s => s.IsUp));
        Assert.AreEqual(1, services.Sum(s => s.InstanceCount));
        Assert.AreEqual(64, services[0].Node!.VcpusTotal);
    }
}
