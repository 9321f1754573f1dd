namespace Conductor.Abstractions;

/// <summary>The conductor could not be reached, dropped the connection, or did not answer within the call's deadline.</summary>
/// <remarks>Not sealed: <see cref="WriteOutcomeUnknownException"/> refines it for writes whose outcome is unknown.</remarks>
public class ConductorUnavailableException : ConductorException
{
    /// <summary>Initializes a new instance of the <see cref="ConductorUnavailableException"/> class.</summary>
    public ConductorUnavailableException()
        : this("The conductor is unavailable.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ConductorUnavailableException"/> class.</summary>
    /// <param name="message">A whole sentence that says what happened and what to do.</param>
    public ConductorUnavailableException(string message)
        : this(message, null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ConductorUnavailableException"/> class.</summary>
    /// <param name="message">A whole sentence that says what happened and what to do.</param>
    /// <param name="innerException">The cause, if any.</param>
    public ConductorUnavailableException(string message, Exception? innerException)
        : base(ConductorErrorCodes.ConductorUnavailable, message, innerException)
    {
    }
}
