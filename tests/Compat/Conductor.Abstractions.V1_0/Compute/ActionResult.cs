namespace Conductor.Abstractions.Compute;

/// <summary>How an instance action ended.</summary>
public enum ActionResult
{
    /// <summary>The action succeeded.</summary>
    Success = 0,

    /// <summary>The action failed.</summary>
    Error = 1,
}
