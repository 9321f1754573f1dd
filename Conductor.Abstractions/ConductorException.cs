namespace Conductor.Abstractions;

/// <summary>
/// The base of every error the conductor reports to a caller. Each subclass has a stable
/// <see cref="ErrorCode"/>; the proxy turns the code it receives back into the same subclass.
/// </summary>
public class ConductorException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ConductorException"/> class.</summary>
    public ConductorException()
        : this("The conductor reported an error.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ConductorException"/> class.</summary>
    /// <param name="message">A whole sentence that says what happened and what to do.</param>
    public ConductorException(string message)
        : this(message, null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ConductorException"/> class.</summary>
    /// <param name="message">A whole sentence that says what happened and what to do.</param>
    /// <param name="innerException">The cause, if any.</param>
    public ConductorException(string message, Exception? innerException)
        : this(ConductorErrorCodes.Internal, message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ConductorException"/> class with an explicit code.</summary>
    /// <param name="errorCode">One of <see cref="ConductorErrorCodes"/>.</param>
    /// <param name="message">A whole sentence that says what happened and what to do.</param>
    /// <param name="innerException">The cause, if any.</param>
    protected ConductorException(int errorCode, string message, Exception? innerException)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
    }

    /// <summary>Gets the stable error code sent on the wire (one of <see cref="ConductorErrorCodes"/>).</summary>
    public int ErrorCode { get; }

    /// <summary>
    /// Creates the typed exception for an error code received from the wire. Unknown codes give a plain
    /// <see cref="ConductorException"/> that keeps the code.
    /// </summary>
    /// <param name="errorCode">The code from the JSON-RPC error.</param>
    /// <param name="message">The message from the JSON-RPC error.</param>
    /// <param name="innerException">The transport exception that carried it.</param>
    /// <returns>The typed exception.</returns>
    public static ConductorException FromErrorCode(int errorCode, string message, Exception? innerException = null) => errorCode switch
    {
        ConductorErrorCodes.NotFound => new NotFoundException(message, innerException),
        ConductorErrorCodes.Conflict => new ConflictException(message, innerException),
        ConductorErrorCodes.AccessDenied => new AccessDeniedException(message, innerException),
        ConductorErrorCodes.ConductorUnavailable => new ConductorUnavailableException(message, innerException),
        ConductorErrorCodes.VersionNotSupported => new VersionNotSupportedException(message, innerException),
        ConductorErrorCodes.DatabaseAccessNotAllowed => new DatabaseAccessNotAllowedException(message, innerException),
        ConductorErrorCodes.InvalidArgument => new InvalidRequestException(message, innerException),
        ConductorErrorCodes.NoCapacity => new NoCapacityException(message, innerException),
        ConductorErrorCodes.StorageFailure => new StorageFailureException(message, innerException),
        ConductorErrorCodes.HandshakeRequired => new HandshakeRequiredException(message, innerException),
        _ => new ConductorException(errorCode, message, innerException),
    };
}
