using Conductor.Abstractions.Compute;
using LiteDB;

namespace Conductor.Host.Storage.Documents;

/// <summary>
/// The stored form of an <see cref="Instance"/>, with the keyset keys its lists page over. The "live" keys are
/// <see langword="null"/> once the instance is deleted, so lists without deleted records skip them in the index
/// instead of reading and discarding them.
/// </summary>
internal sealed class InstanceDocument
{
    /// <summary>
    /// How many applied requests an instance remembers. A host retries a request whose reply it lost before it changes
    /// the same instance again, so one would do; the rest is margin.
    /// </summary>
    internal const int MaxRecentRequests = 4;

    /// <summary>Gets or sets the id (the document id).</summary>
    public Guid Id { get; set; }

    /// <summary>Gets or sets the id as a sortable key (<see cref="SortableKeys.Id"/>).</summary>
    public string IdKey { get; set; } = "";

    /// <summary>Gets or sets <see cref="IdKey"/> while the instance is not deleted, else <see langword="null"/>.</summary>
    public string? LiveIdKey { get; set; }

    /// <summary>Gets or sets the host-scoped sortable key (<see cref="SortableKeys.Host"/>).</summary>
    public string HostKey { get; set; } = "";

    /// <summary>Gets or sets <see cref="HostKey"/> while the instance is not deleted, else <see langword="null"/>.</summary>
    public string? LiveHostKey { get; set; }

    /// <summary>Gets or sets the name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Gets or sets the host it is placed on.</summary>
    public string Host { get; set; } = "";

    /// <summary>Gets or sets the flavor's virtual CPUs.</summary>
    public int Vcpus { get; set; }

    /// <summary>Gets or sets the flavor's memory in MB.</summary>
    public int MemoryMb { get; set; }

    /// <summary>Gets or sets the flavor's disk in GB.</summary>
    public int DiskGb { get; set; }

    /// <summary>Gets or sets the stable state.</summary>
    public VmState VmState { get; set; }

    /// <summary>Gets or sets the task state.</summary>
    public TaskState TaskState { get; set; }

    /// <summary>Gets or sets the power state.</summary>
    public PowerState PowerState { get; set; }

    /// <summary>Gets or sets the creation time.</summary>
    public DateTime CreatedAtUtc { get; set; }

    /// <summary>Gets or sets the last update time.</summary>
    public DateTime UpdatedAtUtc { get; set; }

    /// <summary>Gets or sets the launch time.</summary>
    public DateTime? LaunchedAtUtc { get; set; }

    /// <summary>Gets or sets the deletion time.</summary>
    public DateTime? DeletedAtUtc { get; set; }

    /// <summary>Gets or sets the revision, incremented by every change.</summary>
    public long Revision { get; set; }

    /// <summary>
    /// Gets or sets the operator's metadata, ordered by key. Schema 2 gives every document a list (empty for none);
    /// <see langword="null"/> only in a schema 1 document not yet migrated.
    /// </summary>
    public List<MetadataEntry>? Metadata { get; set; }

    /// <summary>Gets or sets the request id of the last change applied, so that its retry is answered, not refused.</summary>
    public Guid? LastRequestId { get; set; }

    /// <summary>
    /// Gets or sets the host's most recent requests applied to this instance, newest last, at most
    /// <see cref="MaxRecentRequests"/>, each in the stored form of <see cref="AppliedRequestEntry"/>; <see langword="null"/> for none.
    /// </summary>
    public List<string>? RecentRequests { get; set; }

    /// <summary>Gets whether the instance is soft-deleted.</summary>
    [BsonIgnore]
    public bool IsDeleted => VmState == VmState.Deleted;

    /// <summary>Sets the keys from <see cref="Id"/>, <see cref="Host"/> and <see cref="VmState"/>.</summary>
    public void UpdateKeys()
    {
        IdKey = SortableKeys.Id(Id);
        HostKey = SortableKeys.Host(Host, Id);
        LiveIdKey = IsDeleted ? null : IdKey;
        LiveHostKey = IsDeleted ? null : HostKey;
    }

    /// <summary>Copies the document, so that changing the copy (or its lists) leaves this one as it is.</summary>
    /// <returns>The copy.</returns>
    /// <remarks>The metadata entries themselves are shared: nothing changes an entry once the instance is created.</remarks>
    public InstanceDocument Copy()
    {
        var copy = (InstanceDocument)MemberwiseClone();
        copy.RecentRequests = RecentRequests is null ? null : [.. RecentRequests];
        copy.Metadata = Metadata is null ? null : [.. Metadata];
        return copy;
    }

    /// <summary>Maps to the DTO.</summary>
    /// <returns>The instance.</returns>
    public Instance ToInstance() => new()
    {
        Id = Id,
        Name = Name,
        Host = Host,
        Flavor = new Flavor { Vcpus = Vcpus, MemoryMb = MemoryMb, DiskGb = DiskGb },
        VmState = VmState,
        TaskState = TaskState,
        PowerState = PowerState,
        CreatedAtUtc = Utc(CreatedAtUtc),
        UpdatedAtUtc = Utc(UpdatedAtUtc),
        LaunchedAtUtc = LaunchedAtUtc is { } launched ? Utc(launched) : null,
        DeletedAtUtc = DeletedAtUtc is { } deleted ? Utc(deleted) : null,
        Revision = Revision,
        Metadata = MetadataEntry.ToMetadata(Metadata),
    };

    /// <summary>Looks a request up among <see cref="RecentRequests"/>; when found, rebuilds the outcome it was answered with.</summary>
    /// <param name="key">The write's key.</param>
    /// <param name="outcome">The original outcome, when this returns <see langword="true"/>.</param>
    /// <returns>Whether the request was applied to this instance before.</returns>
    /// <exception cref="Abstractions.ConflictException">The caller used the request id before for a different request.</exception>
    public bool TryReplay(WriteKey key, out Instance outcome)
    {
        outcome = null!;
        string? stored = key.RequestId is { } id ? RecentRequests?.Find(e => AppliedRequestEntry.IsFor(e, id)) : null;
        AppliedRequestEntry? entry = stored is null ? null : AppliedRequestEntry.Parse(stored);
        if (entry is null || !string.Equals(entry.Caller, key.Caller, StringComparison.Ordinal))
        {
            return false;
        }

        if (!string.Equals(entry.Operation, key.Operation, StringComparison.Ordinal) || !string.Equals(entry.Fingerprint, key.Fingerprint, StringComparison.Ordinal))
        {
            throw RequestLedger.IdTaken(entry.Id, null);
        }

        outcome = ToInstance() with
        {
            VmState = entry.VmState,
            TaskState = entry.TaskState,
            PowerState = entry.PowerState,
            UpdatedAtUtc = Utc(entry.UpdatedAtUtc),
            LaunchedAtUtc = entry.LaunchedAtUtc is { } launched ? Utc(launched) : null,
            DeletedAtUtc = entry.DeletedAtUtc is { } deleted ? Utc(deleted) : null,
            Revision = entry.Revision,
        };
        return true;
    }

    /// <summary>Remembers a request just applied, with the state it leaves, forgetting the oldest beyond <see cref="MaxRecentRequests"/>.</summary>
    /// <param name="key">The write's key; nothing is remembered without a request id.</param>
    /// <param name="appliedAtUtc">When it was applied.</param>
    public void RememberApplied(WriteKey key, DateTime appliedAtUtc)
    {
        if (key.RequestId is not { } id)
        {
            return;
        }

        List<string> recent = RecentRequests ??= [];
        if (recent.Count >= MaxRecentRequests)
        {
            recent.RemoveRange(0, recent.Count - MaxRecentRequests + 1);
        }

        recent.Add(new AppliedRequestEntry
        {
            Id = id,
            Operation = key.Operation,
            Caller = key.Caller,
            Fingerprint = key.Fingerprint,
            AppliedAtUtc = appliedAtUtc,
            Revision = Revision,
            VmState = VmState,
            TaskState = TaskState,
            PowerState = PowerState,
            UpdatedAtUtc = UpdatedAtUtc,
            LaunchedAtUtc = LaunchedAtUtc,
            DeletedAtUtc = DeletedAtUtc,
        }.Format());
    }

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
