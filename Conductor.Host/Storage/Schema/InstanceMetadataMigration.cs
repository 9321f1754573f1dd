using LiteDB;

namespace Conductor.Host.Storage.Schema;

/// <summary>
/// Schema 1 to 2: every instance gets a metadata list (instances 1.1 added <c>Instance.Metadata</c>), empty for the
/// instances created before it, so that no reader has to tell "none given" from "written before metadata existed".
/// </summary>
internal sealed class InstanceMetadataMigration : SchemaMigration
{
    /// <summary>The field the step adds.</summary>
    public const string Field = "Metadata";

    /// <inheritdoc/>
    public override int To => 2;

    /// <inheritdoc/>
    public override string Name => "instances-metadata";

    /// <inheritdoc/>
    public override string Collection => CollectionNames.Instances;

    /// <inheritdoc/>
    public override bool Needs(BsonDocument document) =>
        !document.TryGetValue(Field, out BsonValue value) || value.IsNull;

    /// <inheritdoc/>
    public override void Rewrite(BsonDocument document) => document[Field] = new BsonArray();
}
