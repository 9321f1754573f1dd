namespace Conductor.Host.Storage.Schema;

/// <summary>
/// The conductor's database schema versions. The version is kept in the database file's header (LiteDB's
/// <c>UserVersion</c>); compute hosts never see the schema, so it changes without any API version changing.
/// </summary>
internal static class DatabaseSchema
{
    /// <summary>The foundation release's format, written before the schema version was recorded (the header says 0).</summary>
    public const int Foundation = 1;

    /// <summary>The version this conductor writes and reads.</summary>
    public const int Current = 2;

    /// <summary>The migrations from <see cref="Foundation"/> to <see cref="Current"/>, in order.</summary>
    public static IReadOnlyList<SchemaMigration> Migrations { get; } = [new InstanceMetadataMigration()];
}
