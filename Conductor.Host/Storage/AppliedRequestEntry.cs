using System.Globalization;
using Conductor.Abstractions.Compute;

namespace Conductor.Host.Storage;

/// <summary>
/// A request recently applied to an instance, kept in the instance's own document (<see cref="Documents.InstanceDocument.RecentRequests"/>)
/// instead of the request ledger: what identifies it, and the state it left the instance in, from which its original
/// outcome is rebuilt when it is retried.
/// </summary>
/// <remarks>
/// Host writes to an instance (<c>instances.Update</c>, <c>instances.MarkDeleted</c>) change only the fields kept here, so
/// the outcome they answered is the instance as it is now with these fields put back. Keeping the entry in the record it
/// changed means a durable update writes one data page instead of also a ledger document and its index pages.
/// Entries are stored as one compact string each (<see cref="Format"/>), so that every read of the instance
/// deserializes a few strings rather than a dozen fields per entry; they are parsed only when a request is retried.
/// </remarks>
internal sealed class AppliedRequestEntry
{
    private const char Separator = '|';

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

    /// <summary>Returns whether a stored entry is for a request id, without parsing the rest of it.</summary>
    /// <param name="stored">The stored form.</param>
    /// <param name="id">The request id.</param>
    /// <returns>Whether it is that request's entry.</returns>
    public static bool IsFor(string stored, Guid id)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return stored.Length > 32 && Guid.TryParseExact(stored.AsSpan(0, 32), "N", out Guid parsed) && parsed == id;
    }

    /// <summary>Parses the stored form written by <see cref="Format"/>.</summary>
    /// <param name="stored">The stored form.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="FormatException">The text is not a stored entry.</exception>
    public static AppliedRequestEntry Parse(string stored)
    {
        ArgumentNullException.ThrowIfNull(stored);

        // The caller comes last and is taken whole, whatever characters a host name has.
        string[] parts = stored.Split(Separator, 12);
        if (parts.Length != 12)
        {
            throw new FormatException("A stored applied-request entry has the wrong number of fields.");
        }

        return new AppliedRequestEntry
        {
            Id = Guid.ParseExact(parts[0], "N"),
            Operation = parts[1],
            Fingerprint = parts[2],
            AppliedAtUtc = Ticks(parts[3]),
            Revision = long.Parse(parts[4], CultureInfo.InvariantCulture),
            VmState = (VmState)int.Parse(parts[5], CultureInfo.InvariantCulture),
            TaskState = (TaskState)int.Parse(parts[6], CultureInfo.InvariantCulture),
            PowerState = (PowerState)int.Parse(parts[7], CultureInfo.InvariantCulture),
            UpdatedAtUtc = Ticks(parts[8]),
            LaunchedAtUtc = parts[9].Length == 0 ? null : Ticks(parts[9]),
            DeletedAtUtc = parts[10].Length == 0 ? null : Ticks(parts[10]),
            Caller = parts[11],
        };
    }

    /// <summary>Returns the stored form: the fields separated by <c>|</c>, the id first and the caller last.</summary>
    /// <returns>The stored form.</returns>
    public string Format() => string.Create(CultureInfo.InvariantCulture,
        $"{Id:N}|{Operation}|{Fingerprint}|{AppliedAtUtc.Ticks}|{Revision}|{(int)VmState}|{(int)TaskState}|{(int)PowerState}|{UpdatedAtUtc.Ticks}|{LaunchedAtUtc?.Ticks}|{DeletedAtUtc?.Ticks}|{Caller}");

    private static DateTime Ticks(string text) => new(long.Parse(text, CultureInfo.InvariantCulture), DateTimeKind.Utc);
}
