namespace Conductor.Host.Storage.Schema;

/// <summary>
/// The database's schema is newer than this conductor understands, or older and not migrated. The conductor left the
/// file untouched.
/// </summary>
public sealed class DatabaseSchemaMismatchException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="DatabaseSchemaMismatchException"/> class.</summary>
    public DatabaseSchemaMismatchException()
        : this("The database's schema version does not match this conductor. The file was left untouched; see docs/upgrades.md.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DatabaseSchemaMismatchException"/> class.</summary>
    /// <param name="message">A whole sentence that says what happened and what to do.</param>
    public DatabaseSchemaMismatchException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DatabaseSchemaMismatchException"/> class.</summary>
    /// <param name="message">A whole sentence that says what happened and what to do.</param>
    /// <param name="innerException">The cause, if any.</param>
    public DatabaseSchemaMismatchException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
