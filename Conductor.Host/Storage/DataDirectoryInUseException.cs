namespace Conductor.Host.Storage;

/// <summary>Another conductor already owns the data directory: two owners would corrupt the database.</summary>
public sealed class DataDirectoryInUseException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="DataDirectoryInUseException"/> class.</summary>
    public DataDirectoryInUseException()
        : this("The data directory is already owned by another conductor. Stop that conductor first, or give this one its own data directory with --Conductor:DataDirectory.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DataDirectoryInUseException"/> class.</summary>
    /// <param name="message">A whole sentence that says what happened and what to do.</param>
    public DataDirectoryInUseException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DataDirectoryInUseException"/> class.</summary>
    /// <param name="message">A whole sentence that says what happened and what to do.</param>
    /// <param name="innerException">The error the operating system reported when taking the lock.</param>
    public DataDirectoryInUseException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
