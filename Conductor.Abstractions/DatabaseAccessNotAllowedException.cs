namespace Conductor.Abstractions;

/// <summary>A process that must not touch the database (a compute host) tried to. Register the conductor proxies instead of a direct repository.</summary>
public sealed class DatabaseAccessNotAllowedException : ConductorException
{
    /// <summary>Initializes a new instance of the <see cref="DatabaseAccessNotAllowedException"/> class.</summary>
    public DatabaseAccessNotAllowedException()
        : this("Direct database access is not allowed in this process.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DatabaseAccessNotAllowedException"/> class.</summary>
    /// <param name="message">A whole sentence that says what happened and what to do.</param>
    public DatabaseAccessNotAllowedException(string message)
        : this(message, null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DatabaseAccessNotAllowedException"/> class.</summary>
    /// <param name="message">A whole sentence that says what happened and what to do.</param>
    /// <param name="innerException">The cause, if any.</param>
    public DatabaseAccessNotAllowedException(string message, Exception? innerException)
        : base(ConductorErrorCodes.DatabaseAccessNotAllowed, message, innerException)
    {
    }
}
