namespace Conductor.Abstractions;

/// <summary>A method was called before the connection's handshake succeeded, or the handshake was refused.</summary>
public sealed class HandshakeRequiredException : ConductorException
{
    /// <summary>Initializes a new instance of the <see cref="HandshakeRequiredException"/> class.</summary>
    public HandshakeRequiredException()
        : this("The connection's handshake has not succeeded.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="HandshakeRequiredException"/> class.</summary>
    /// <param name="message">A whole sentence that says what happened and what to do.</param>
    public HandshakeRequiredException(string message)
        : this(message, null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="HandshakeRequiredException"/> class.</summary>
    /// <param name="message">A whole sentence that says what happened and what to do.</param>
    /// <param name="innerException">The cause, if any.</param>
    public HandshakeRequiredException(string message, Exception? innerException)
        : base(ConductorErrorCodes.HandshakeRequired, message, innerException)
    {
    }
}
