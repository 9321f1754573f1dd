namespace Conductor.Abstractions;

/// <summary>The request's arguments were missing, malformed or out of range. Nothing was changed.</summary>
public sealed class InvalidRequestException : ConductorException
{
    /// <summary>Initializes a new instance of the <see cref="InvalidRequestException"/> class.</summary>
    public InvalidRequestException()
        : this("The request was invalid.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="InvalidRequestException"/> class.</summary>
    /// <param name="message">A whole sentence that says what happened and what to do.</param>
    public InvalidRequestException(string message)
        : this(message, null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="InvalidRequestException"/> class.</summary>
    /// <param name="message">A whole sentence that says what happened and what to do.</param>
    /// <param name="innerException">The cause, if any.</param>
    public InvalidRequestException(string message, Exception? innerException)
        : base(ConductorErrorCodes.InvalidArgument, message, innerException)
    {
    }
}
