using System.Reflection;
using Conductor.Abstractions.Compute;
using Conductor.Abstractions.Versioning;

namespace Conductor.Abstractions.Tests;

/// <summary>
/// "Writes from an older client never erase fields it did not know", checked for every write DTO of the contract: each
/// is classified, and the classification's rule is checked against the DTO's shape. A new write DTO fails until it is
/// classified here and in docs/upgrades.md.
/// </summary>
[TestClass]
public sealed class WriteRequestTests
{
    /// <summary>How a write uses its fields.</summary>
    public enum WriteKind
    {
        /// <summary>Makes a new record: nothing stored exists to be erased.</summary>
        Create,

        /// <summary>Sets only the fields it carries a value for; <see langword="null"/> leaves a field as it is.</summary>
        PartialUpdate,

        /// <summary>Replaces the record's fields. A field added later must be kept when an older client writes (the conductor checks the connection's version).</summary>
        FullReplace,

        /// <summary>Carries no record fields, only identifiers and expectations.</summary>
        Command,
    }

    private static readonly Dictionary<Type, (WriteKind Kind, string[] Keys)> s_writes = new()
    {
        [typeof(ServiceRegistration)] = (WriteKind.FullReplace, []),
        [typeof(ComputeNodeReport)] = (WriteKind.FullReplace, []),
        [typeof(InstanceUpdate)] = (WriteKind.PartialUpdate, [nameof(InstanceUpdate.InstanceId), nameof(InstanceUpdate.ExpectedTaskState)]),
        [typeof(InstanceDeletion)] = (WriteKind.Command, [nameof(InstanceDeletion.InstanceId), nameof(InstanceDeletion.ExpectedTaskState)]),
        [typeof(InstanceActionStart)] = (WriteKind.Create, []),
        [typeof(InstanceActionFinish)] = (WriteKind.Create, []),
        [typeof(InstanceCreate)] = (WriteKind.Create, []),
        [typeof(InstanceDeleteRequest)] = (WriteKind.Command, [nameof(InstanceDeleteRequest.InstanceId)]),
    };

    /// <summary>
    /// Full-replace fields added after x.0, with the test that proves an older client's write keeps them. Empty today:
    /// no full-replace DTO has gained a field yet.
    /// </summary>
    private static readonly Dictionary<string, string> s_preservedByTest = [];

    [TestMethod]
    public void EveryWriteRequest_IsClassified()
    {
        Type[] writes = typeof(IWriteRequest).Assembly.GetTypes().Where(t => t.IsClass && typeof(IWriteRequest).IsAssignableFrom(t)).ToArray();

        string[] unclassified = writes.Where(t => !s_writes.ContainsKey(t)).Select(t => t.Name).ToArray();

        Assert.IsEmpty(unclassified, $"Classify the write DTO(s) {string.Join(", ", unclassified)} here and in docs/upgrades.md (create, partial update, full replace or command), so that an older client's write cannot erase fields it does not know.");
    }

    [TestMethod]
    public void PartialUpdates_EveryValueFieldIsNullable()
    {
        var nullability = new NullabilityInfoContext();
        foreach ((Type type, (WriteKind kind, string[] keys)) in s_writes.Where(w => w.Value.Kind == WriteKind.PartialUpdate))
        {
            foreach (PropertyInfo property in type.GetProperties().Where(p => !keys.Contains(p.Name) && p.Name != nameof(IWriteRequest.RequestId)))
            {
                bool nullable = Nullable.GetUnderlyingType(property.PropertyType) is not null || nullability.Create(property).ReadState == NullabilityState.Nullable;
                Assert.IsTrue(nullable, $"{type.Name}.{property.Name} is not nullable, so an older client that never sets it would overwrite it with a default. Make it nullable (null leaves the field as it is).");
            }
        }
    }

    [TestMethod]
    public void FullReplaces_FieldsAddedLaterArePreservedByATestedRule()
    {
        WireContract contract = WireContract.Create(BuiltInApis.All.Select(ConductorApiDescriptor.Create));
        foreach (Type type in s_writes.Where(w => w.Value.Kind == WriteKind.FullReplace).Select(w => w.Key))
        {
            foreach (DtoPropertyDescriptor property in contract.Dtos[type].Properties.Where(p => p.Since.Values.Any(v => v.Minor > 0)))
            {
                string key = $"{type.Name}.{property.Property.Name}";
                Assert.IsTrue(
                    s_preservedByTest.ContainsKey(key),
                    $"{key} was added to a full-replace write: an older client's write would reset it. Make the repository keep the stored value when the connection's settled version predates the field (ConnectionVersions.Speaks), test it, and list the test here.");
            }
        }
    }

    [TestMethod]
    public void Commands_CarryNoRecordFields()
    {
        foreach ((Type type, (WriteKind kind, string[] keys)) in s_writes.Where(w => w.Value.Kind == WriteKind.Command))
        {
            string[] fields = type.GetProperties().Select(p => p.Name).Where(n => !keys.Contains(n) && n != nameof(IWriteRequest.RequestId)).ToArray();
            Assert.IsEmpty(fields, $"{type.Name} is classified as a command but carries {string.Join(", ", fields)}: reclassify it as a partial update or full replace.");
        }
    }
}
