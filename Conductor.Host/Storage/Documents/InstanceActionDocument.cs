using Conductor.Abstractions.Compute;

namespace Conductor.Host.Storage.Documents;

/// <summary>The stored form of an <see cref="InstanceAction"/>, keyed by the request id that started it.</summary>
internal sealed class InstanceActionDocument
{
    /// <summary>Gets or sets the id (the starting request's id).</summary>
    public Guid Id { get; set; }

    /// <summary>Gets or sets the instance.</summary>
    public Guid InstanceId { get; set; }

    /// <summary>Gets or sets the action name.</summary>
    public string Action { get; set; } = "";

    /// <summary>Gets or sets the host that ran it.</summary>
    public string Host { get; set; } = "";

    /// <summary>Gets or sets the start time.</summary>
    public DateTime StartedAtUtc { get; set; }

    /// <summary>Gets or sets the finish time.</summary>
    public DateTime? FinishedAtUtc { get; set; }

    /// <summary>Gets or sets the result.</summary>
    public ActionResult? Result { get; set; }

    /// <summary>Gets or sets the message.</summary>
    public string? Message { get; set; }

    /// <summary>Maps to the DTO.</summary>
    /// <returns>The action.</returns>
    public InstanceAction ToAction() => new()
    {
        Id = Id,
        InstanceId = InstanceId,
        Action = Action,
        Host = Host,
        StartedAtUtc = DateTime.SpecifyKind(StartedAtUtc, DateTimeKind.Utc),
        FinishedAtUtc = FinishedAtUtc is { } finished ? DateTime.SpecifyKind(finished, DateTimeKind.Utc) : null,
        Result = Result,
        Message = Message,
    };
}
