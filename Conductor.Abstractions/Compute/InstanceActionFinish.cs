namespace Conductor.Abstractions.Compute;

/// <summary>Records how an operation started with <see cref="InstanceActionStart"/> ended.</summary>
public sealed record InstanceActionFinish : IWriteRequest
{
    /// <summary>Gets the <see cref="InstanceActionStart.RequestId"/> of the action that finished.</summary>
    public required Guid ActionId { get; init; }

    /// <summary>Gets the result.</summary>
    public required ActionResult Result { get; init; }

    /// <summary>Gets a message for operators, for example the error that failed it.</summary>
    public string? Message { get; init; }

    /// <inheritdoc/>
    public Guid RequestId { get; init; } = Guid.CreateVersion7();
}
