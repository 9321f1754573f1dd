namespace Conductor.Abstractions;

/// <summary>The conductor could not make a write durable (for example the disk is full). The write was not acknowledged; reads keep working.</summary>
public sealed class StorageFailureException : ConductorException
{
    /// <summary>Initializes a new instance of the <see cref="StorageFailureException"/> class.</summary>
    public StorageFailureException()
        : this("The conductor could not store the write.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="StorageFailureException"/> class.</summary>
    /// <param name="message">A whole sentence that says what happened and what to do.</param>
    public StorageFailureException(string message)
        : this(message, null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="StorageFailureException"/> class.</summary>
    /// <param name="message">A whole sentence that says what happened and what to do.</param>
    /// <param name="innerException">The cause, if any.</param>
    public StorageFailureException(string message, Exception? innerException)
        : base(ConductorErrorCodes.StorageFailure, message, innerException)
    {
    }
}
