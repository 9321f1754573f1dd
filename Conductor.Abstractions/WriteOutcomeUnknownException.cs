namespace Conductor.Abstractions;

/// <summary>
/// The connection to the conductor was lost, or the conductor did not answer in time, after a write was sent, so it
/// is not known whether the conductor applied it. When <see cref="RequestId"/> is set, retrying with the same
/// request object is safe (the conductor applies one request id at most once); otherwise read the record to find out.
/// </summary>
public sealed class WriteOutcomeUnknownException : ConductorUnavailableException
{
    /// <summary>Initializes a new instance of the <see cref="WriteOutcomeUnknownException"/> class.</summary>
    public WriteOutcomeUnknownException()
        : this("The conductor did not confirm the write, so whether it was applied is unknown.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="WriteOutcomeUnknownException"/> class.</summary>
    /// <param name="message">A whole sentence that says what happened and what to do.</param>
    public WriteOutcomeUnknownException(string message)
        : this(message, null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="WriteOutcomeUnknownException"/> class.</summary>
    /// <param name="message">A whole sentence that says what happened and what to do.</param>
    /// <param name="innerException">The cause, if any.</param>
    public WriteOutcomeUnknownException(string message, Exception? innerException)
        : this(message, requestId: null, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="WriteOutcomeUnknownException"/> class.</summary>
    /// <param name="message">A whole sentence that says what happened and what to do.</param>
    /// <param name="requestId">The write's request id, if it has one.</param>
    /// <param name="innerException">The cause, if any.</param>
    public WriteOutcomeUnknownException(string message, Guid? requestId, Exception? innerException)
        : base(message, innerException)
    {
        RequestId = requestId;
    }

    /// <summary>Gets the write's request id, if it has one: retrying with the same request object is then safe.</summary>
    public Guid? RequestId { get; }
}
