using Conductor.Abstractions;
using Conductor.Abstractions.Compute;

namespace Conductor.Specification.Tests;

/// <content>What instances 1.1 and admin.instances 1.1 added: metadata and GetMany.</content>
public abstract partial class ConductorSpecification
{
    [TestMethod]
    public async Task Create_WithMetadata_EveryReaderSeesIt()
    {
        await using var host = await AddHostAsync("compute-a");
        var metadata = new Dictionary<string, string> { ["owner"] = "alice", ["tier"] = "web" };

        Instance created = await Admin.AdminInstances.CreateAsync(new InstanceCreate { Name = "tagged", Flavor = Small, Metadata = metadata }, Token);
        Instance read = await host.Instances.GetAsync(created.Id, Token);

        CollectionAssert.AreEquivalent(metadata, created.Metadata!.ToDictionary());
        CollectionAssert.AreEquivalent(metadata, read.Metadata!.ToDictionary());
    }

    [TestMethod]
    public async Task Create_WithoutMetadata_ReadsAsEmpty()
    {
        await using var host = await AddHostAsync("compute-a");

        Instance created = await CreateInstanceAsync();

        Assert.IsNotNull(created.Metadata);
        Assert.IsEmpty(created.Metadata);
    }

    [TestMethod]
    public async Task Create_MetadataKeyTooLong_ThrowsInvalidRequest()
    {
        await using var host = await AddHostAsync("compute-a");
        var metadata = new Dictionary<string, string> { [new string('k', InstanceMetadata.MaxKeyLength + 1)] = "v" };

        InvalidRequestException error = await Assert.ThrowsExactlyAsync<InvalidRequestException>(
            () => Admin.AdminInstances.CreateAsync(new InstanceCreate { Name = "bad", Flavor = Small, Metadata = metadata }, Token));

        StringAssert.Contains(error.Message, $"longer than {InstanceMetadata.MaxKeyLength} characters");
    }

    [TestMethod]
    public async Task Update_PartialChange_KeepsMetadata()
    {
        await using var host = await AddHostAsync("compute-a");
        Instance created = await Admin.AdminInstances.CreateAsync(new InstanceCreate { Name = "kept", Flavor = Small, Metadata = new Dictionary<string, string> { ["owner"] = "alice" } }, Token);

        Instance updated = await host.Instances.UpdateAsync(new InstanceUpdate { InstanceId = created.Id, ExpectedTaskState = TaskState.Scheduling, TaskState = TaskState.Spawning }, Token);

        Assert.AreEqual("alice", updated.Metadata!["owner"]);
    }

    [TestMethod]
    public async Task GetMany_MixOfOwnForeignMissingAndRepeated_ReturnsOwnOnceInOrderAsked()
    {
        await using var hostA = await AddHostAsync("compute-a", vcpus: 2);
        Instance first = await CreateInstanceAsync("a-1");
        Instance second = await CreateInstanceAsync("a-2");
        await using var hostB = await AddHostAsync("compute-b", vcpus: 2);
        Instance foreign = await CreateInstanceAsync("b-1");
        Assert.AreEqual("compute-b", foreign.Host, "The test needs an instance on another host.");

        IReadOnlyList<Instance> found = await hostA.Instances.GetManyAsync([second.Id, foreign.Id, Guid.NewGuid(), first.Id, second.Id], Token);

        CollectionAssert.AreEqual(new[] { second.Id, first.Id }, found.Select(i => i.Id).ToArray());
    }

    [TestMethod]
    public async Task GetMany_DeletedInstance_IsIncluded()
    {
        await using var host = await AddHostAsync("compute-a");
        Instance created = await CreateInstanceAsync();
        await Admin.AdminInstances.DeleteAsync(new InstanceDeleteRequest { InstanceId = created.Id }, Token);
        await host.Instances.MarkDeletedAsync(new InstanceDeletion { InstanceId = created.Id, ExpectedTaskState = TaskState.Deleting }, Token);

        IReadOnlyList<Instance> found = await host.Instances.GetManyAsync([created.Id], Token);

        Assert.AreEqual(VmState.Deleted, found.Single().VmState);
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(PageRequest.MaxLimit + 1)]
    public async Task GetMany_NoneOrTooMany_ThrowsInvalidRequest(int count)
    {
        await using var host = await AddHostAsync("compute-a");
        Guid[] ids = Enumerable.Range(0, count).Select(_ => Guid.NewGuid()).ToArray();

        InvalidRequestException error = await Assert.ThrowsExactlyAsync<InvalidRequestException>(() => host.Instances.GetManyAsync(ids, Token));

        Assert.AreEqual($"GetMany asks for {count} instances. Ask for 1 to {PageRequest.MaxLimit} identifiers per call.", error.Message);
    }
}
