namespace Conductor.Host.Storage.Documents;

/// <summary>
/// One applied write, kept in the request ledger so that a retry with the same request id is answered with the
/// original outcome instead of being applied again. Written in the same transaction as the write itself.
/// </summary>
internal sealed class RequestLedgerDocument
{
    /// <summary>Gets or sets the request id (the document id).</summary>
    public Guid Id { get; set; }

    /// <summary>Gets or sets the wire method that applied the write (for example <c>instances.Update</c>).</summary>
    public string Operation { get; set; } = "";

    /// <summary>Gets or sets who sent it: role and host, so that one caller's outcome is never shown to another.</summary>
    public string Caller { get; set; } = "";

    /// <summary>Gets or sets a hash of the request's content, so that an id reused for a different request is refused.</summary>
    public string Fingerprint { get; set; } = "";

    /// <summary>Gets or sets the outcome returned to the caller, as wire JSON.</summary>
    public string Outcome { get; set; } = "";

    /// <summary>Gets or sets when the write was applied (conductor clock, UTC).</summary>
    public DateTime AppliedAtUtc { get; set; }
}
