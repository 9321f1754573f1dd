namespace Conductor.Abstractions.Compute;

/// <summary>Marks one of the caller's instances deleted after its host destroyed it.</summary>
public sealed record InstanceDeletion : IWriteRequest
{
    /// <summary>Gets the instance to mark deleted.</summary>
    public required Guid InstanceId { get; init; }

    /// <summary>Gets the task state the caller expects (normally <see cref="TaskState.Deleting"/>).</summary>
    public required TaskState ExpectedTaskState { get; init; }

    /// <inheritdoc/>
    public Guid RequestId { get; init; } = Guid.CreateVersion7();
}
