namespace Conductor.Abstractions;

/// <summary>The client and the conductor do not share a compatible API version, or the member called is newer than the negotiated version.</summary>
public sealed class VersionNotSupportedException : ConductorException
{
    /// <summary>Initializes a new instance of the <see cref="VersionNotSupportedException"/> class.</summary>
    public VersionNotSupportedException()
        : this("The conductor does not support this API version.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="VersionNotSupportedException"/> class.</summary>
    /// <param name="message">A whole sentence that says what happened and what to do.</param>
    public VersionNotSupportedException(string message)
        : this(message, null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="VersionNotSupportedException"/> class.</summary>
    /// <param name="message">A whole sentence that says what happened and what to do.</param>
    /// <param name="innerException">The cause, if any.</param>
    public VersionNotSupportedException(string message, Exception? innerException)
        : base(ConductorErrorCodes.VersionNotSupported, message, innerException)
    {
    }
}
