using Conductor.Abstractions;
using Conductor.Abstractions.Compute;
using Conductor.Abstractions.Persistence;
using Conductor.Host.Storage;
using Conductor.Host.Storage.Documents;
using LiteDB;

namespace Conductor.Host.Repositories;

/// <summary>The action log of the calling host's instances, read and written directly in the database.</summary>
internal sealed class InstanceActionRepository : IInstanceActionRepository, IDirectRepository
{
    private readonly LiteDbConductorDatabase _db;
    private readonly ICallerContext _caller;
    private readonly TimeProvider _time;

    /// <summary>Initializes a new instance of the <see cref="InstanceActionRepository"/> class.</summary>
    /// <param name="db">The database.</param>
    /// <param name="caller">The connection's caller.</param>
    /// <param name="time">The conductor's clock.</param>
    public InstanceActionRepository(LiteDbConductorDatabase db, ICallerContext caller, TimeProvider time)
    {
        _db = db;
        _caller = caller;
        _time = time;
    }

    /// <inheritdoc/>
    public async Task<InstanceAction> StartAsync(InstanceActionStart start, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (start is null)
        {
            throw RepositoryErrors.Missing("action start");
        }

        if (string.IsNullOrWhiteSpace(start.Action) || start.Action.Length > 255)
        {
            throw new InvalidRequestException("The action name is empty or longer than 255 characters. Name the operation, for example \"spawn\".");
        }

        string host = CallerHosts.Of(_caller);
        return await _db.WriteAsync(WriteKey.For(start, "instance-actions.Start", _caller), () =>
        {
            EnsureOwned(start.InstanceId, host);

            // The action id is the request id, so a retry finds its action even after its ledger entry was pruned.
            if (_db.InstanceActions.FindById(start.RequestId) is { } existing)
            {
                if (existing.InstanceId != start.InstanceId || !string.Equals(existing.Action, start.Action, StringComparison.Ordinal)
                    || !string.Equals(existing.Host, host, StringComparison.Ordinal))
                {
                    throw new ConflictException($"Request {start.RequestId} already started a different action. Give each new action its own request id.");
                }

                return existing.ToAction();
            }

            var doc = new InstanceActionDocument
            {
                Id = start.RequestId,
                InstanceId = start.InstanceId,
                Action = start.Action,
                Host = host,
                StartedAtUtc = StorageClock.Now(_time),
            };
            _db.InstanceActions.Insert(doc);
            return doc.ToAction();
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<InstanceAction> FinishAsync(InstanceActionFinish finish, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (finish is null)
        {
            throw RepositoryErrors.Missing("action finish");
        }

        string host = CallerHosts.Of(_caller);
        return await _db.WriteAsync(WriteKey.For(finish, "instance-actions.Finish", _caller), () =>
        {
            InstanceActionDocument doc = _db.InstanceActions.FindById(finish.ActionId) is { } found && string.Equals(found.Host, host, StringComparison.Ordinal)
                ? found
                : throw RepositoryErrors.ActionNotFound(finish.ActionId);
            if (doc.Result is { } finished)
            {
                if (finished != finish.Result)
                {
                    throw new ConflictException($"Instance action {doc.Id} already finished with {finished}, so it cannot finish with {finish.Result}. Start a new action for a new attempt.");
                }
            }
            else
            {
                doc.Result = finish.Result;
                doc.Message = finish.Message;
                doc.FinishedAtUtc = StorageClock.Now(_time);
                _db.InstanceActions.Update(doc);
            }

            return doc.ToAction();
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<InstanceAction>> ListAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        EnsureOwned(instanceId, CallerHosts.Of(_caller));
        IReadOnlyList<InstanceAction> actions = _db.InstanceActions
            .Find(Query.EQ(nameof(InstanceActionDocument.InstanceId), instanceId))
            .OrderBy(a => a.StartedAtUtc)
            .ThenBy(a => a.Id)
            .Select(a => a.ToAction())
            .ToList();
        return Task.FromResult(actions);
    }

    private void EnsureOwned(Guid instanceId, string host)
    {
        InstanceDocument? instance = _db.Instances.FindById(instanceId);
        if (instance is null || !string.Equals(instance.Host, host, StringComparison.Ordinal))
        {
            throw RepositoryErrors.InstanceNotFound(instanceId);
        }
    }
}
