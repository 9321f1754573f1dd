using Conductor.Abstractions;
using Conductor.Abstractions.Compute;
using Conductor.Host.Repositories;
using Conductor.Host.Storage;

namespace Conductor.Host.Tests.Storage;

[TestClass]
public sealed class PagingTests
{
    [TestMethod]
    public async Task ListAsync_250InstancesLimit100_ReturnsEachOnceInIdOrder()
    {
        using var fixture = new StorageFixture();
        await fixture.AddHostAsync("host-a", vcpus: 1000);
        await fixture.AddHostAsync("host-ab", vcpus: 1, memoryMb: 1, diskGb: 1);
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        Instance[] created = await Task.WhenAll(Enumerable.Range(0, 250).Select(i => fixture.CreateInstanceAsync($"vm-{i}")));
        Assert.IsTrue(created.All(i => i.Host == "host-a"));
        string[] expected = [.. created.Select(i => SortableKeys.Id(i.Id)).Order(StringComparer.Ordinal)];

        foreach (Func<PageRequest, Task<Page<Instance>>> list in new Func<PageRequest, Task<Page<Instance>>>[]
        {
            p => fixture.Instances("host-a").ListAsync(p, cts.Token),
            p => fixture.AdminInstances().ListAsync(p, cts.Token),
        })
        {
            var seen = new List<string>();
            var request = new PageRequest { Limit = 100 };
            int pages = 0;
            while (true)
            {
                Page<Instance> page = await list(request);
                pages++;
                Assert.IsLessThanOrEqualTo(100, page.Items.Count);
                seen.AddRange(page.Items.Select(i => SortableKeys.Id(i.Id)));
                if (page.NextPageToken is null)
                {
                    break;
                }

                request = request with { After = page.NextPageToken };
            }

            CollectionAssert.AreEqual(expected, seen);
            Assert.AreEqual(3, pages);
        }

        Assert.IsEmpty((await fixture.Instances("host-ab").ListAsync(new PageRequest(), cts.Token)).Items);
    }

    [TestMethod]
    public async Task ListAsync_BadTokenOrLimit_ThrowsInvalidRequest()
    {
        using var fixture = new StorageFixture();
        using var cts = new CancellationTokenSource(StorageFixture.Timeout);
        IInstanceRepository instances = fixture.Instances("host-a");

        await Assert.ThrowsExactlyAsync<InvalidRequestException>(() => instances.ListAsync(new PageRequest { After = "not-a-token" }, cts.Token));
        await Assert.ThrowsExactlyAsync<InvalidRequestException>(() => instances.ListAsync(new PageRequest { Limit = 0 }, cts.Token));
        await Assert.ThrowsExactlyAsync<InvalidRequestException>(() => instances.ListAsync(new PageRequest { Limit = PageRequest.MaxLimit + 1 }, cts.Token));
        await Assert.ThrowsExactlyAsync<InvalidRequestException>(() => fixture.AdminInstances().ListAsync(new PageRequest { After = "x" }, cts.Token));
    }

    [TestMethod]
    public void Query_PageRange_UsesKeyIndexWithoutSort()
    {
        using var fixture = new StorageFixture();
        string prefix = SortableKeys.HostPrefix("host-a");

        string plan = InstancePages.Query(fixture.Database.Instances, "LiveHostKey", prefix + "0", prefix + SortableKeys.MaxId, 101).GetPlan().ToString();

        StringAssert.Contains(plan, "\"name\":\"LiveHostKey\"");
        Assert.DoesNotContain("orderBy", plan);
    }
}
