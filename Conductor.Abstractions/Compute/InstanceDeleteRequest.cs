namespace Conductor.Abstractions.Compute;

/// <summary>An operator's request to delete an instance. Its host destroys it and marks it deleted.</summary>
public sealed record InstanceDeleteRequest : IWriteRequest
{
    /// <summary>Gets the instance to delete.</summary>
    public required Guid InstanceId { get; init; }

    /// <inheritdoc/>
    public Guid RequestId { get; init; } = Guid.CreateVersion7();
}
