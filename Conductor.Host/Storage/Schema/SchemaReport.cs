namespace Conductor.Host.Storage.Schema;

/// <summary>What opening the database found and did to its schema.</summary>
/// <param name="Found">The schema version the file had (<see cref="DatabaseSchema.Current"/> for a new file).</param>
/// <param name="Now">The schema version it has now.</param>
/// <param name="Rewritten">The documents rewritten by this open (a resumed migration counts only its own).</param>
/// <param name="Created">Whether the file was new.</param>
internal sealed record SchemaReport(int Found, int Now, long Rewritten, bool Created);
