namespace Conductor.Abstractions.Compute;

/// <summary>
/// A change to one of the caller's instances. Only the fields that changed are set (Nova's
/// <c>obj_what_changed</c>); a <see langword="null"/> field is left as it is. The update is a compare-and-swap on
/// <see cref="ExpectedTaskState"/>. The host cannot be changed: there is no field for it.
/// </summary>
public sealed record InstanceUpdate : IWriteRequest
{
    /// <summary>Gets the instance to update.</summary>
    public required Guid InstanceId { get; init; }

    /// <summary>Gets the task state the caller expects the instance to be in; the update fails with <see cref="ConflictException"/> otherwise.</summary>
    public required TaskState ExpectedTaskState { get; init; }

    /// <inheritdoc/>
    public Guid RequestId { get; init; } = Guid.CreateVersion7();

    /// <summary>Gets the new stable state, or <see langword="null"/> to leave it.</summary>
    public VmState? VmState { get; init; }

    /// <summary>Gets the new task state, or <see langword="null"/> to leave it (use <see cref="TaskState.None"/> to clear it).</summary>
    public TaskState? TaskState { get; init; }

    /// <summary>Gets the new power state, or <see langword="null"/> to leave it.</summary>
    public PowerState? PowerState { get; init; }

    /// <summary>Gets the launch time to record, or <see langword="null"/> to leave it.</summary>
    public DateTime? LaunchedAtUtc { get; init; }
}
