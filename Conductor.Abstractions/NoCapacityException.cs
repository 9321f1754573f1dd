namespace Conductor.Abstractions;

/// <summary>No compute host has enough free capacity (or none is up) to place the request. Nothing was changed; retry when capacity is added.</summary>
public sealed class NoCapacityException : ConductorException
{
    /// <summary>Initializes a new instance of the <see cref="NoCapacityException"/> class.</summary>
    public NoCapacityException()
        : this("No compute host has capacity for the request.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="NoCapacityException"/> class.</summary>
    /// <param name="message">A whole sentence that says what happened and what to do.</param>
    public NoCapacityException(string message)
        : this(message, null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="NoCapacityException"/> class.</summary>
    /// <param name="message">A whole sentence that says what happened and what to do.</param>
    /// <param name="innerException">The cause, if any.</param>
    public NoCapacityException(string message, Exception? innerException)
        : base(ConductorErrorCodes.NoCapacity, message, innerException)
    {
    }
}
