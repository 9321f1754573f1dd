using Conductor.Abstractions.Tests.Probes;
using Conductor.Abstractions.Versioning;

namespace Conductor.Abstractions.Tests;

/// <summary>Contracts that declare versions wrongly are refused when they are described, with a message naming the fix.</summary>
[TestClass]
public sealed class VersionRuleTests
{
    [TestMethod]
    public void Create_MemberNewerThanItsApi_Refused()
    {
        ArgumentException error = Assert.ThrowsExactly<ArgumentException>(() => ConductorApiDescriptor.Create(typeof(IProbeMemberTooNew)));

        Assert.AreEqual(
            $"{typeof(IProbeMemberTooNew).FullName}.CountAsync says [ConductorSince(1, 1)] but its API probe is version 1.0. A member cannot be newer than its API: bump [ConductorApi] to 1.1 or correct the member's version.",
            error.Message);
    }

    [TestMethod]
    public void Create_UnqualifiedSinceOnADtoTwoApisCarry_Refused()
    {
        ArgumentException error = Assert.ThrowsExactly<ArgumentException>(
            () => WireContract.Create([ConductorApiDescriptor.Create(typeof(IShareA)), ConductorApiDescriptor.Create(typeof(IShareB))]));

        Assert.AreEqual(
            "SharedDto.Note says [ConductorSince(1, 1)] but SharedDto is carried by share-a, share-b, whose versions are unrelated. Name the API: one [ConductorSince(major, minor, Api = \"name\")] per carrying API.",
            error.Message);
    }

    [TestMethod]
    public void Create_RequiredFieldAddedInAMinor_Refused()
    {
        ArgumentException error = Assert.ThrowsExactly<ArgumentException>(() => WireContract.Create([ConductorApiDescriptor.Create(typeof(IRequiredNewField))]));

        Assert.AreEqual(
            "RequiredNewFieldDto.Note was added in required-new 1.1 but is required. Older peers never send it: make it optional (drop 'required' and give it a default).",
            error.Message);
    }

    [TestMethod]
    public void Create_FieldNewerThanItsApi_Refused()
    {
        ArgumentException error = Assert.ThrowsExactly<ArgumentException>(() => WireContract.Create([ConductorApiDescriptor.Create(typeof(IFieldTooNew))]));

        Assert.AreEqual(
            "FieldTooNewDto.Note says it was added in field-too-new 1.2, but field-too-new is version 1.0. A property cannot be newer than the API that carries it: bump [ConductorApi(\"field-too-new\", ...)] or correct the property's version.",
            error.Message);
    }

    [TestMethod]
    public void BuiltInContract_FollowsEveryRule()
    {
        WireContract contract = WireContract.Create(BuiltInApis.All.Select(ConductorApiDescriptor.Create));

        DtoPropertyDescriptor metadata = contract.Dtos[typeof(Compute.Instance)].Properties.Single(p => p.Property.Name == nameof(Compute.Instance.Metadata));
        Assert.AreEqual(new ApiVersion(1, 1), metadata.Since["instances"]);
        Assert.AreEqual(new ApiVersion(1, 1), metadata.Since["admin.instances"]);
    }
}
