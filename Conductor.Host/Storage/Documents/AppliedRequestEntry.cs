using Conductor.Abstractions.Compute;

namespace Conductor.Host.Storage.Documents;

/// <summary>
/// A request recently applied to an instance, kept in the instance's own document (<see cref="InstanceDocument.RecentRequests"/>)
/// instead of the request ledger: what identifies it, and the state it left the instance in, from which its original
/// outcome is rebuilt when it is retried.
/// </summary>
/// <remarks>
/// Host writes to an instance (<c>instances.Update</c>, <c>instances.MarkDeleted</c>) change only the fields kept here, so
/// the outcome they answered is the instance as it is now with these fields put back. Keeping the entry in the record it
/// changed means a durable update writes one data page instead of also a ledger document and its index pages.
/// </remarks>
internal sealed class AppliedRequestEntry
{
    /// <summary>Gets or sets the request id.</summary>
    public Guid Id { get; set; }

    /// <summary>Gets or sets the wire method name.</summary>
    public string Operation { get; set; } = "";

    /// <summary>Gets or sets the caller's key.</summary>
    public string Caller { get; set; } = "";

    /// <summary>Gets or sets the fingerprint of the request's content.</summary>
    public string Fingerprint { get; set; } = "";

    /// <summary>Gets or sets when it was applied.</summary>
    public DateTime AppliedAtUtc { get; set; }

    /// <summary>Gets or sets the revision it produced.</summary>
    public long Revision { get; set; }

    /// <summary>Gets or sets the stable state it left.</summary>
    public VmState VmState { get; set; }

    /// <summary>Gets or sets the task state it left.</summary>
    public TaskState TaskState { get; set; }

    /// <summary>Gets or sets the power state it left.</summary>
    public PowerState PowerState { get; set; }

    /// <summary>Gets or sets the update time it left.</summary>
    public DateTime UpdatedAtUtc { get; set; }

    /// <summary>Gets or sets the launch time it left.</summary>
    public DateTime? LaunchedAtUtc { get; set; }

    /// <summary>Gets or sets the deletion time it left.</summary>
    public DateTime? DeletedAtUtc { get; set; }
}
