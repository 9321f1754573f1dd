namespace Conductor.Abstractions;

/// <summary>The record does not exist, or belongs to another host: the conductor answers both the same way so that existence never leaks.</summary>
public sealed class NotFoundException : ConductorException
{
    /// <summary>Initializes a new instance of the <see cref="NotFoundException"/> class.</summary>
    public NotFoundException()
        : this("The record was not found.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="NotFoundException"/> class.</summary>
    /// <param name="message">A whole sentence that says what happened and what to do.</param>
    public NotFoundException(string message)
        : this(message, null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="NotFoundException"/> class.</summary>
    /// <param name="message">A whole sentence that says what happened and what to do.</param>
    /// <param name="innerException">The cause, if any.</param>
    public NotFoundException(string message, Exception? innerException)
        : base(ConductorErrorCodes.NotFound, message, innerException)
    {
    }
}
