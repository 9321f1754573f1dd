using Conductor.Abstractions;
using Conductor.Abstractions.Compute;

namespace Conductor.Host.Tests.Storage;

[TestClass]
public sealed class SchedulingTests
{
    [TestMethod]
    public async Task CreateAsync_ConcurrentBeyondCapacity_NeverOvercommits()
    {
        using var fixture = new StorageFixture();
        string[] hosts = ["host-a", "host-b", "host-c"];
        foreach (string host in hosts)
        {
            await fixture.AddHostAsync(host, vcpus: 4, memoryMb: 8192, diskGb: 100);
        }

        var flavor = new Flavor { Vcpus = 1, MemoryMb = 1024, DiskGb = 10 };
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<Instance>[] creates = [.. Enumerable.Range(0, 30).Select(i => Task.Run(async () =>
        {
            await go.Task.WaitAsync(cts.Token);
            return await fixture.AdminInstances().CreateAsync(new InstanceCreate { Name = $"vm-{i}", Flavor = flavor }, cts.Token);
        }))];
        go.SetResult();
        try
        {
            await Task.WhenAll(creates).WaitAsync(cts.Token);
        }
        catch (NoCapacityException)
        {
            // Inspected per create below.
        }

        Assert.AreEqual(12, creates.Count(t => t.IsCompletedSuccessfully));
        Assert.AreEqual(18, creates.Count(t => t.Exception?.InnerException is NoCapacityException));
        foreach (IGrouping<string, Instance> placed in creates.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result).GroupBy(i => i.Host))
        {
            Assert.IsLessThanOrEqualTo(4, placed.Sum(i => i.Flavor.Vcpus));
            Assert.IsLessThanOrEqualTo(8192, placed.Sum(i => i.Flavor.MemoryMb));
            Assert.IsLessThanOrEqualTo(100, placed.Sum(i => i.Flavor.DiskGb));
        }
    }

    [TestMethod]
    public async Task CreateAsync_SameRequestRetried_ReturnsSameInstance()
    {
        using var fixture = new StorageFixture();
        await fixture.AddHostAsync("host-a");
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        var create = new InstanceCreate { Name = "vm", Flavor = new Flavor { Vcpus = 1, MemoryMb = 1, DiskGb = 1 } };

        Instance first = await fixture.AdminInstances().CreateAsync(create, cts.Token);
        Instance second = await fixture.AdminInstances().CreateAsync(create, cts.Token);

        Assert.AreEqual(first, second);
        Assert.AreEqual(create.RequestId, first.Id);
        Assert.AreEqual(VmState.Building, first.VmState);
        Assert.AreEqual(TaskState.Scheduling, first.TaskState);
    }

    [TestMethod]
    public async Task CreateAsync_OnlyHostDown_ThrowsNoCapacity()
    {
        using var fixture = new StorageFixture();
        await fixture.AddHostAsync("host-a");
        ((FakeTimeProvider)fixture.Time).Advance(TimeSpan.FromSeconds(61));

        var ex = await Assert.ThrowsExactlyAsync<NoCapacityException>(() => fixture.CreateInstanceAsync());

        StringAssert.Contains(ex.Message, "retry");
    }

    [TestMethod]
    public async Task CreateAsync_InvalidNameOrFlavor_ThrowsInvalidRequest()
    {
        using var fixture = new StorageFixture();
        await fixture.AddHostAsync("host-a");

        await Assert.ThrowsExactlyAsync<InvalidRequestException>(() => fixture.CreateInstanceAsync(name: ""));
        await Assert.ThrowsExactlyAsync<InvalidRequestException>(() => fixture.CreateInstanceAsync(name: new string('x', 256)));
        await Assert.ThrowsExactlyAsync<InvalidRequestException>(() => fixture.CreateInstanceAsync(flavor: new Flavor { Vcpus = 0, MemoryMb = 1, DiskGb = 1 }));
    }

    [TestMethod]
    public async Task CreateAsync_HostDisabledThenEnabled_PlacedOnlyOnceItIsEnabled()
    {
        using var fixture = new StorageFixture();
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        await fixture.AddHostAsync("host-big", memoryMb: 65536);
        await fixture.AddHostAsync("host-small", memoryMb: 8192);
        await fixture.Services("host-big").RegisterAsync(new ServiceRegistration { Binary = "compute-host", Version = "1.0", Disabled = true }, cts.Token);

        Assert.AreEqual("host-small", (await fixture.CreateInstanceAsync("while-disabled")).Host, "A disabled host gets no instance, though it has the most free memory.");

        await fixture.Services("host-big").RegisterAsync(new ServiceRegistration { Binary = "compute-host", Version = "1.0" }, cts.Token);
        Assert.AreEqual("host-big", (await fixture.CreateInstanceAsync("once-enabled")).Host, "Enabled again, it has the most free memory.");
    }
}
