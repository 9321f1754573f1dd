namespace Conductor.Abstractions;

/// <summary>The connection's identity may not call this member.</summary>
public sealed class AccessDeniedException : ConductorException
{
    /// <summary>Initializes a new instance of the <see cref="AccessDeniedException"/> class.</summary>
    public AccessDeniedException()
        : this("The conductor denied access to this member.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AccessDeniedException"/> class.</summary>
    /// <param name="message">A whole sentence that says what happened and what to do.</param>
    public AccessDeniedException(string message)
        : this(message, null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AccessDeniedException"/> class.</summary>
    /// <param name="message">A whole sentence that says what happened and what to do.</param>
    /// <param name="innerException">The cause, if any.</param>
    public AccessDeniedException(string message, Exception? innerException)
        : base(ConductorErrorCodes.AccessDenied, message, innerException)
    {
    }
}
