using Conductor.Abstractions.Versioning;

namespace Conductor.Abstractions.Tests;

/// <summary>The checker itself: every kind of shape change moves the fingerprint, and the message says what to bump.</summary>
[TestClass]
public sealed class FingerprintCheckerTests
{
    private static string Api(Type api) => ContractFingerprints.Compute([api])["api probe"];

    [TestMethod]
    public void Compute_SameShapeInAnotherNamespace_SameFingerprint()
    {
        Assert.AreEqual(Api(typeof(Probes.V1.IProbe)), Api(typeof(Probes.V1.IProbe)));
        Assert.AreEqual(
            ContractFingerprints.Compute([typeof(Probes.V1.IProbe)])["dto Conductor.Abstractions.Tests.Probes.V1.ProbeDto"],
            ContractFingerprints.Compute([typeof(Probes.Plain11.IProbe)])["dto Conductor.Abstractions.Tests.Probes.Plain11.ProbeDto"],
            "The wire carries no CLR namespace, so the DTO's fingerprint does not either.");
    }

    [TestMethod]
    [DataRow(typeof(Probes.NullableName.IProbe), "a field's nullability")]
    [DataRow(typeof(Probes.LongSize.IProbe), "a field's type")]
    [DataRow(typeof(Probes.ParameterRetyped.IProbe), "a member's parameter type")]
    public void Compute_ShapeChangedWithoutBump_FingerprintChangesButVersionDoesNot(Type changed, string what)
    {
        string before = Api(typeof(Probes.V1.IProbe));
        string after = Api(changed);

        Assert.AreNotEqual(before, after, $"Changing {what} must change the fingerprint.");
        Assert.AreEqual("1.0", after.Split('-')[0]);
    }

    [TestMethod]
    public void Compute_DeclaredVersionOfAFieldChanged_FingerprintChanges()
    {
        Assert.AreNotEqual(Api(typeof(Probes.Plain11.IProbe)), Api(typeof(Probes.SinceAdded.IProbe)));
    }

    [TestMethod]
    public void Compare_ShapeChangedWithoutBump_SaysWhichApiAndWhatToBump()
    {
        IReadOnlyDictionary<string, string> expected = ContractFingerprints.Compute([typeof(Probes.V1.IProbe)]);
        IReadOnlyDictionary<string, string> actual = ContractFingerprints.Compute([typeof(Probes.NullableName.IProbe)]);

        IReadOnlyList<string> problems = ContractFingerprints.Compare(
            actual.Where(p => p.Key.StartsWith("api ", StringComparison.Ordinal)).ToDictionary(),
            expected.Where(p => p.Key.StartsWith("api ", StringComparison.Ordinal)).ToDictionary());

        Assert.AreEqual(
            "The shape of API probe changed (its members, their signatures, the DTOs it carries or their declared versions), but its version is still 1.0. " +
            "For an addition, bump it to 1.1 ([ConductorApi(\"probe\", 1, 1)]) and mark what was added [ConductorSince(1, 1)]; " +
            "for a removal or an incompatible change, bump it to 2.0. Record the version in docs/upgrades.md, then update the line 'api probe' to the fingerprint this test prints.",
            problems.Single());
    }

    [TestMethod]
    public void Compare_BumpedButTableNotUpdated_SaysToRecordTheVersion()
    {
        IReadOnlyDictionary<string, string> expected = ContractFingerprints.Compute([typeof(Probes.V1.IProbe)]);
        IReadOnlyDictionary<string, string> actual = ContractFingerprints.Compute([typeof(Probes.NewMember.IProbe)]);

        string problem = ContractFingerprints.Compare(
            new Dictionary<string, string> { ["api probe"] = actual["api probe"] },
            new Dictionary<string, string> { ["api probe"] = expected["api probe"] }).Single();

        Assert.AreEqual(
            $"API probe is now 1.1 but the fingerprint table has 1.0. If the bump is intended, record 1.1 in docs/upgrades.md's version history and set the line to 'api probe = {actual["api probe"]}'.",
            problem);
    }

    [TestMethod]
    public void Compare_DtoChanged_NamesTheCarryingApis()
    {
        const string Key = "dto Conductor.Abstractions.Tests.Probes.V1.ProbeDto";
        var carriers = new Dictionary<string, IReadOnlyList<string>> { [Key] = ["probe"] };

        string problem = ContractFingerprints.Compare(
            new Dictionary<string, string> { [Key] = "0000000000000001" },
            new Dictionary<string, string> { [Key] = "0000000000000002" },
            carriers).Single();

        StringAssert.StartsWith(problem, "DTO Conductor.Abstractions.Tests.Probes.V1.ProbeDto changed shape (its fields, their types, nullability or declared versions), and it is carried by probe.");
    }

    [TestMethod]
    public void Parse_FormattedTable_RoundTrips()
    {
        IReadOnlyDictionary<string, string> fingerprints = ContractFingerprints.Compute([typeof(Probes.NewMember.IProbe)]);

        CollectionAssert.AreEquivalent(fingerprints.ToList(), ContractFingerprints.Parse("# comment\n\n" + ContractFingerprints.Format(fingerprints)).ToList());
    }
}
