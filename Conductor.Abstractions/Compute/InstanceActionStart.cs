namespace Conductor.Abstractions.Compute;

/// <summary>Records that an operation on one of the caller's instances started.</summary>
public sealed record InstanceActionStart : IWriteRequest
{
    /// <summary>Gets the instance the operation runs on.</summary>
    public required Guid InstanceId { get; init; }

    /// <summary>Gets the operation's name (for example <c>spawn</c> or <c>delete</c>).</summary>
    public required string Action { get; init; }

    /// <summary>Gets the action's identifier, which is also its retry key. New objects get a new one.</summary>
    public Guid RequestId { get; init; } = Guid.CreateVersion7();
}
