namespace Conductor.Abstractions;

/// <summary>The record was not in the state the caller expected (a lost compare-and-swap), or a record with the same identity already exists. Re-read the record and decide again.</summary>
public sealed class ConflictException : ConductorException
{
    /// <summary>Initializes a new instance of the <see cref="ConflictException"/> class.</summary>
    public ConflictException()
        : this("The record was not in the expected state.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ConflictException"/> class.</summary>
    /// <param name="message">A whole sentence that says what happened and what to do.</param>
    public ConflictException(string message)
        : this(message, null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ConflictException"/> class.</summary>
    /// <param name="message">A whole sentence that says what happened and what to do.</param>
    /// <param name="innerException">The cause, if any.</param>
    public ConflictException(string message, Exception? innerException)
        : base(ConductorErrorCodes.Conflict, message, innerException)
    {
    }
}
