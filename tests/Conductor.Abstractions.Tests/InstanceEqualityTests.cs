using Conductor.Abstractions.Compute;

namespace Conductor.Abstractions.Tests;

[TestClass]
public sealed class InstanceEqualityTests
{
    private static Instance Make(IReadOnlyDictionary<string, string>? metadata) => new()
    {
        Id = Guid.Parse("6f1d2a3b-4c5e-4f60-8a7b-9c0d1e2f3a4b"),
        Name = "web-1",
        Host = "compute-1",
        Flavor = new Flavor { Vcpus = 1, MemoryMb = 512, DiskGb = 1 },
        VmState = VmState.Active,
        TaskState = TaskState.None,
        CreatedAtUtc = DateTime.UnixEpoch,
        UpdatedAtUtc = DateTime.UnixEpoch,
        Revision = 3,
        Metadata = metadata,
    };

    [TestMethod]
    public void Equals_SameFieldsInOtherDictionaries_AreEqual()
    {
        Instance left = Make(new Dictionary<string, string> { ["owner"] = "alice" });
        Instance right = Make(new Dictionary<string, string> { ["owner"] = "alice" });

        Assert.AreEqual(left, right, "An instance read twice (or over the wire) equals itself.");
        Assert.AreEqual(left.GetHashCode(), right.GetHashCode());
    }

    [TestMethod]
    public void Equals_NoMetadataAndEmptyMetadata_AreEqual()
    {
        Assert.AreEqual(Make(null), Make(new Dictionary<string, string>()));
    }

    [TestMethod]
    public void Equals_DifferentMetadataOrRevision_AreNotEqual()
    {
        Instance original = Make(new Dictionary<string, string> { ["owner"] = "alice" });

        Assert.AreNotEqual(original, Make(new Dictionary<string, string> { ["owner"] = "bob" }));
        Assert.AreNotEqual(original, original with { Revision = 4 });
    }
}
