namespace Conductor.Host.Storage;

/// <summary>The database file exists but cannot be a LiteDB database; the conductor refuses to open (or overwrite) it.</summary>
public sealed class DatabaseFileDamagedException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="DatabaseFileDamagedException"/> class.</summary>
    public DatabaseFileDamagedException()
        : this("The database file is damaged. The conductor left it untouched: restore it from a backup, or move it away to start with an empty database.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DatabaseFileDamagedException"/> class.</summary>
    /// <param name="message">A whole sentence that says what happened and what to do.</param>
    public DatabaseFileDamagedException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DatabaseFileDamagedException"/> class.</summary>
    /// <param name="message">A whole sentence that says what happened and what to do.</param>
    /// <param name="innerException">The cause, if any.</param>
    public DatabaseFileDamagedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
