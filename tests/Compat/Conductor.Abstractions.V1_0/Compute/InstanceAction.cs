namespace Conductor.Abstractions.Compute;

/// <summary>One recorded operation on an instance (Nova's instance action).</summary>
public sealed record InstanceAction
{
    /// <summary>Gets the action's identifier (the starting request's id).</summary>
    public required Guid Id { get; init; }

    /// <summary>Gets the instance.</summary>
    public required Guid InstanceId { get; init; }

    /// <summary>Gets the operation's name.</summary>
    public required string Action { get; init; }

    /// <summary>Gets the host that ran it.</summary>
    public required string Host { get; init; }

    /// <summary>Gets when it started (conductor clock, UTC).</summary>
    public required DateTime StartedAtUtc { get; init; }

    /// <summary>Gets when it finished, if it has.</summary>
    public DateTime? FinishedAtUtc { get; init; }

    /// <summary>Gets the result, once finished.</summary>
    public ActionResult? Result { get; init; }

    /// <summary>Gets the finishing message, if any.</summary>
    public string? Message { get; init; }
}
