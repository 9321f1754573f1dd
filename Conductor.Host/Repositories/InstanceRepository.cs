using Conductor.Abstractions;
using Conductor.Abstractions.Compute;
using Conductor.Abstractions.Persistence;
using Conductor.Host.Storage;
using Conductor.Host.Storage.Documents;
using Conductor.Abstractions.Wire;

namespace Conductor.Host.Repositories;

/// <summary>The calling host's instances, read and written directly in the database.</summary>
/// <remarks>
/// Changes are compare-and-swaps on the task state, each read, checked and written inside one write of
/// <see cref="LiteDbConductorDatabase.WriteAsync{T}"/>, which serializes writes, so two callers can never both read the
/// expected state and both win. Ownership is checked before the expectation, so another host's instance reads as
/// missing. A retried request is answered with its original outcome instead of being applied (or refused as a
/// conflict) again: the instance remembers the requests applied to it (<see cref="InstanceDocument.RecentRequests"/>,
/// kept in its own document so that an update commits one data page rather than also a ledger entry and its index).
/// </remarks>
internal sealed class InstanceRepository : IInstanceRepository, IDirectRepository
{
    private readonly LiteDbConductorDatabase _db;
    private readonly ICallerContext _caller;
    private readonly TimeProvider _time;

    /// <summary>Initializes a new instance of the <see cref="InstanceRepository"/> class.</summary>
    /// <param name="db">The database.</param>
    /// <param name="caller">The connection's caller.</param>
    /// <param name="time">The conductor's clock.</param>
    public InstanceRepository(LiteDbConductorDatabase db, ICallerContext caller, TimeProvider time)
    {
        _db = db;
        _caller = caller;
        _time = time;
    }

    /// <inheritdoc/>
    public Task<Instance> GetAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(GetOwned(instanceId, CallerHosts.Of(_caller)));
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<Instance>> GetManyAsync(IReadOnlyList<Guid> instanceIds, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (instanceIds is null || instanceIds.Count is 0 or > PageRequest.MaxLimit)
        {
            throw new InvalidRequestException($"GetMany asks for {instanceIds?.Count ?? 0} instances. Ask for 1 to {PageRequest.MaxLimit} identifiers per call.");
        }

        string host = CallerHosts.Of(_caller);
        var found = new List<Instance>(instanceIds.Count);
        var seen = new HashSet<Guid>();
        foreach (Guid id in instanceIds)
        {
            // Another host's instance is left out exactly like a missing one.
            if (!seen.Add(id))
            {
                continue;
            }

            if (FindOwned(id, host) is { } instance)
            {
                found.Add(instance);
            }
        }

        return Task.FromResult<IReadOnlyList<Instance>>(found);
    }

    /// <inheritdoc/>
    public Task<Page<Instance>> ListAsync(PageRequest page, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string prefix = SortableKeys.HostPrefix(CallerHosts.Of(_caller));
        return Task.FromResult(InstancePages.Read(_db.Instances, page, prefix));
    }

    /// <inheritdoc/>
    public async Task<Instance> UpdateAsync(InstanceUpdate update, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (update is null)
        {
            throw RepositoryErrors.Missing("instance update");
        }

        if (update.VmState == VmState.Deleted)
        {
            throw new InvalidRequestException($"An update cannot set instance {update.InstanceId} to Deleted. Mark it deleted with MarkDeletedAsync once the host has destroyed it.");
        }

        string host = CallerHosts.Of(_caller);
        WriteKey key = WriteKey.For(update, "instances.Update", _caller);
        return await _db.WriteAsync(WriteKey.Unrecorded(key.Operation), () =>
        {
            InstanceDocument doc = FindOwnedForWrite(update.InstanceId, host);
            if (_db.TryReplay(doc, key, out Instance replayed))
            {
                return replayed;
            }

            if (doc.IsDeleted)
            {
                throw new ConflictException($"Instance {doc.Id} is deleted and can no longer change. Stop managing it.");
            }

            if (doc.TaskState != update.ExpectedTaskState)
            {
                throw RepositoryErrors.TaskStateConflict(doc.Id, doc.TaskState, update.ExpectedTaskState);
            }

            doc.VmState = update.VmState ?? doc.VmState;
            doc.TaskState = update.TaskState ?? doc.TaskState;
            doc.PowerState = update.PowerState ?? doc.PowerState;
            if (update.LaunchedAtUtc is { } launched)
            {
                doc.LaunchedAtUtc = UtcDateTimeJsonConverter.Truncate(launched.Kind == DateTimeKind.Local ? launched.ToUniversalTime() : launched);
            }

            Stamp(doc, key);
            _db.UpdateInstance(doc);
            return doc.ToInstance();
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<Instance> MarkDeletedAsync(InstanceDeletion deletion, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (deletion is null)
        {
            throw RepositoryErrors.Missing("instance deletion");
        }

        string host = CallerHosts.Of(_caller);
        WriteKey key = WriteKey.For(deletion, "instances.MarkDeleted", _caller);
        return await _db.WriteAsync(WriteKey.Unrecorded(key.Operation), () =>
        {
            InstanceDocument doc = FindOwnedForWrite(deletion.InstanceId, host);
            if (_db.TryReplay(doc, key, out Instance replayed))
            {
                return replayed;
            }

            // Already deleted (by an earlier request): deleting is idempotent.
            if (!doc.IsDeleted)
            {
                if (doc.TaskState != deletion.ExpectedTaskState)
                {
                    throw RepositoryErrors.TaskStateConflict(doc.Id, doc.TaskState, deletion.ExpectedTaskState);
                }

                _db.HostUsage.Remove(doc);
                DateTime now = StorageClock.Now(_time);
                doc.VmState = VmState.Deleted;
                doc.TaskState = TaskState.None;
                doc.DeletedAtUtc = now;
                Stamp(doc, key);
                _db.UpdateInstance(doc);
            }

            return doc.ToInstance();
        }, cancellationToken).ConfigureAwait(false);
    }

    private void Stamp(InstanceDocument doc, WriteKey key)
    {
        doc.Revision++;
        doc.UpdatedAtUtc = StorageClock.Now(_time);
        doc.LastRequestId = key.RequestId;
        doc.UpdateKeys();
        doc.RememberApplied(key, doc.UpdatedAtUtc);
    }

    private Instance GetOwned(Guid instanceId, string host) => FindOwned(instanceId, host) ?? throw RepositoryErrors.InstanceNotFound(instanceId);

    /// <summary>Finds the host's instance, or <see langword="null"/> when it is missing or another host's (the two look alike).</summary>
    private Instance? FindOwned(Guid instanceId, string host)
    {
        // Recently written instances are answered from the writer's published copies (InstanceWriteCache).
        Instance? instance = _db.TryGetCommittedInstance(instanceId, out Instance? committed)
            ? committed
            : _db.Instances.FindById(instanceId)?.ToInstance();
        return instance is not null && string.Equals(instance.Host, host, StringComparison.Ordinal) ? instance : null;
    }

    private InstanceDocument FindOwnedForWrite(Guid instanceId, string host) => Owned(_db.FindInstanceForWrite(instanceId), instanceId, host);

    private static InstanceDocument Owned(InstanceDocument? doc, Guid instanceId, string host) =>
        doc is not null && string.Equals(doc.Host, host, StringComparison.Ordinal)
            ? doc
            : throw RepositoryErrors.InstanceNotFound(instanceId);
}
