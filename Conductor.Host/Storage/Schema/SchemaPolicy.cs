namespace Conductor.Host.Storage.Schema;

/// <summary>How the database treats an older schema when it opens.</summary>
/// <param name="MigrateOnStart">Whether to migrate an older schema (else it is refused until <c>conductor db migrate</c> runs).</param>
internal sealed record SchemaPolicy(bool MigrateOnStart = true)
{
    /// <summary>Gets the default: migrate on start, 500 documents per batch.</summary>
    public static SchemaPolicy Default { get; } = new();

    /// <summary>Gets how many documents one batch (one transaction) rewrites.</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>Gets a hook run after each committed batch with the step's name and the documents rewritten so far (tests interrupt here).</summary>
    public Action<string, long>? AfterBatch { get; init; }
}
