namespace Conductor.Abstractions.Compute;

/// <summary>
/// The operation in progress on an instance (Nova's <c>task_state</c>). Updates compare-and-swap on it: an update
/// names the task state it expects and fails with <see cref="ConflictException"/> when another writer got there first.
/// </summary>
public enum TaskState
{
    /// <summary>No operation in progress.</summary>
    None = 0,

    /// <summary>Placed on a host; waiting for the host to pick it up.</summary>
    Scheduling = 1,

    /// <summary>The host is building it.</summary>
    Spawning = 2,

    /// <summary>An operator asked for deletion; waiting for the host to destroy it.</summary>
    Deleting = 3,

    /// <summary>The host is powering it off.</summary>
    PoweringOff = 4,

    /// <summary>The host is powering it on.</summary>
    PoweringOn = 5,
}
