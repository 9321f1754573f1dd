namespace Conductor.Abstractions.Compute;

/// <summary>The stable state of an instance (Nova's <c>vm_state</c>).</summary>
public enum VmState
{
    /// <summary>Scheduled and being built; not yet running.</summary>
    Building = 0,

    /// <summary>Built and running.</summary>
    Active = 1,

    /// <summary>Built and powered off.</summary>
    Stopped = 2,

    /// <summary>An operation failed; the instance needs an operator.</summary>
    Error = 3,

    /// <summary>Deleted by its compute host; kept as a soft-deleted record.</summary>
    Deleted = 4,
}
