using LiteDB;

namespace Conductor.Host.Storage.Schema;

/// <summary>
/// One step of a schema upgrade: a rewrite of the documents of one collection that need it. Steps work on raw BSON
/// documents, never on today's document classes, so that they keep meaning what they meant when they were written.
/// A step must be idempotent: a document it already rewrote must not need it again.
/// </summary>
internal abstract class SchemaMigration
{
    /// <summary>Gets the schema version the database has once this step and those before it have run.</summary>
    public abstract int To { get; }

    /// <summary>Gets the step's name, recorded as its progress and shown by <c>conductor db status</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Gets the collection the step rewrites.</summary>
    public abstract string Collection { get; }

    /// <summary>Returns whether a document still needs this step.</summary>
    /// <param name="document">The document.</param>
    /// <returns>Whether <see cref="Rewrite"/> must run on it.</returns>
    public abstract bool Needs(BsonDocument document);

    /// <summary>Rewrites a document in place.</summary>
    /// <param name="document">The document, for which <see cref="Needs"/> returned <see langword="true"/>.</param>
    public abstract void Rewrite(BsonDocument document);
}
