using Conductor.Abstractions;
using Conductor.Abstractions.Compute;
using Conductor.Abstractions.Persistence;
using Conductor.Host.Storage;
using Conductor.Host.Storage.Documents;
using Conductor.Abstractions.Wire;

namespace Conductor.Host.Repositories;

/// <summary>The calling host's instances, read and written directly in the database.</summary>
/// <remarks>
/// Changes are compare-and-swaps on the task state, made under <see cref="LiteDbConductorDatabase.InstanceLock"/>:
/// LiteDB readers do not block writers, so without the lock two callers could both read the expected state and
/// both win. Ownership is checked before the expectation, so another host's instance reads as missing. Every change
/// goes through <see cref="LiteDbConductorDatabase.Write{T}"/>, so a retried request is answered with its original
/// outcome from the request ledger instead of being applied (or refused as a conflict) again.
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
        return Task.FromResult(FindOwned(instanceId, CallerHosts.Of(_caller)).ToInstance());
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
            if (seen.Add(id) && _db.Instances.FindById(id) is { } doc && string.Equals(doc.Host, host, StringComparison.Ordinal))
            {
                found.Add(doc.ToInstance());
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
        WriteOutcome<Instance> result;
        lock (_db.InstanceLock)
        {
            result = _db.Write(WriteKey.For(update, "instances.Update", _caller), () =>
            {
                InstanceDocument doc = FindOwned(update.InstanceId, host);
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

                Stamp(doc, update.RequestId);
                _db.Instances.Update(doc);
                return doc.ToInstance();
            });
        }

        // A replayed outcome waits too: the first attempt's commit may not be durable yet.
        await _db.WaitForDurableAsync(cancellationToken).ConfigureAwait(false);
        return result.Value;
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
        WriteOutcome<Instance> result;
        lock (_db.InstanceLock)
        {
            result = _db.Write(WriteKey.For(deletion, "instances.MarkDeleted", _caller), () =>
            {
                InstanceDocument doc = FindOwned(deletion.InstanceId, host);

                // Already deleted (by an earlier request): deleting is idempotent.
                if (!doc.IsDeleted)
                {
                    if (doc.TaskState != deletion.ExpectedTaskState)
                    {
                        throw RepositoryErrors.TaskStateConflict(doc.Id, doc.TaskState, deletion.ExpectedTaskState);
                    }

                    DateTime now = StorageClock.Now(_time);
                    doc.VmState = VmState.Deleted;
                    doc.TaskState = TaskState.None;
                    doc.DeletedAtUtc = now;
                    Stamp(doc, deletion.RequestId);
                    _db.Instances.Update(doc);
                }

                return doc.ToInstance();
            });
        }

        await _db.WaitForDurableAsync(cancellationToken).ConfigureAwait(false);
        return result.Value;
    }

    private void Stamp(InstanceDocument doc, Guid requestId)
    {
        doc.Revision++;
        doc.UpdatedAtUtc = StorageClock.Now(_time);
        doc.LastRequestId = requestId;
        doc.UpdateKeys();
    }

    private InstanceDocument FindOwned(Guid instanceId, string host)
    {
        InstanceDocument? doc = _db.Instances.FindById(instanceId);
        return doc is not null && string.Equals(doc.Host, host, StringComparison.Ordinal)
            ? doc
            : throw RepositoryErrors.InstanceNotFound(instanceId);
    }
}
