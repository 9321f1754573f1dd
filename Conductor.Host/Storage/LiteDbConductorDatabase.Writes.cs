using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Conductor.Abstractions;
using LiteDB;
using Microsoft.Extensions.Logging;

namespace Conductor.Host.Storage;

/// <content>Writes: group-commit batches, each write with its ledger entry, and the switch to read-only on a storage fault.</content>
internal sealed partial class LiteDbConductorDatabase
{
    private readonly Lock _faultLock = new();
    private volatile string? _readOnlyReason;
    private readonly Lock _commitGate = new();

    /// <summary>Gets whether a storage fault has switched the database to read-only.</summary>
    internal bool IsReadOnly => _readOnlyReason is not null;

    /// <summary>
    /// Applies a write in the next group-commit batch and completes once its commit is durable. The write runs in the
    /// batch's transaction together with its request ledger entry; when the ledger already has the request, the original
    /// outcome is returned and nothing is applied again (a replay too waits for the batch's sync: the first attempt's
    /// commit may not be durable yet).
    /// </summary>
    /// <typeparam name="T">The outcome returned to the caller.</typeparam>
    /// <param name="key">The request id, method and caller.</param>
    /// <param name="apply">
    /// Reads, checks and writes, inside the batch's transaction on the committing thread (the writer thread, or the
    /// caller's own when the pipeline is idle); writes are serialized, so no lock is
    /// needed around the read-check-write. Throws a <see cref="ConductorException"/> to refuse (nothing of it is kept).
    /// May run twice (after a rollback caused by another write of the batch), so it must read everything it decides on
    /// from the database and have no other side effects.
    /// </param>
    /// <param name="cancellationToken">Cancels the wait, not the write: a write already queued may still be applied.</param>
    /// <param name="durability">When the write may be acknowledged: after a sync (the default), or once committed.</param>
    /// <returns>The outcome, once durable (or committed, for <see cref="WriteDurability.Committed"/>).</returns>
    /// <exception cref="StorageFailureException">The database is read-only after a storage fault, or this write hit one.</exception>
    internal Task<T> WriteAsync<T>(WriteKey key, Func<T> apply, CancellationToken cancellationToken, WriteDurability durability = WriteDurability.Synced)
    {
        ArgumentNullException.ThrowIfNull(apply);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        if (_readOnlyReason is { } reason)
        {
            return Task.FromException<T>(ReadOnlyError(reason));
        }

        var request = new PendingWrite<T>(key, apply, durability);
        _groupCommit.Submit(request);
        return request.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Applies a write inside the open transaction, or returns its original outcome from the request ledger.</summary>
    /// <typeparam name="T">The outcome's type.</typeparam>
    /// <param name="key">The request id, method and caller.</param>
    /// <param name="apply">The write.</param>
    /// <returns>The outcome.</returns>
    internal T ApplyOrReplay<T>(WriteKey key, Func<T> apply)
    {
        if (Ledger.TryReplay(key, out T replayed))
        {
            LogReplayed(_logger, key.Operation, key.RequestId!.Value, key.Caller);
            return replayed;
        }

        T outcome = apply();
        Ledger.Record(key, outcome, Repositories.StorageClock.Now(_settings.Time));
        return outcome;
    }

    /// <summary>Returns whether an exception from LiteDB means the storage failed (as opposed to a refused request).</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>Whether it is a storage fault.</returns>
    internal static bool IsStorageFault(Exception exception) => exception is IOException or UnauthorizedAccessException or ObjectDisposedException
        or LiteException { ErrorCode: LiteException.ENGINE_DISPOSED or LiteException.INVALID_DATAFILE_STATE };

    /// <summary>
    /// Records a storage fault: logs it, closes the failed database and reopens the files read-only (once), and
    /// returns the error to give the caller.
    /// </summary>
    /// <param name="cause">The fault.</param>
    /// <param name="operation">What was being done, for the log.</param>
    /// <returns>The error for the caller.</returns>
    internal StorageFailureException SwitchToReadOnly(Exception cause, string operation)
    {
        lock (_faultLock)
        {
            if (_readOnlyReason is { } already)
            {
                return ReadOnlyError(already);
            }

            string reason = cause.Message.TrimEnd('.');
            _logger.LogCritical(cause, "A storage fault during {Operation} on the conductor's database at {Location}; writes are refused from now on and the database is reopened read-only.", operation, Location);
            DisposeQuietly(_database);

            try
            {
                _database = Open(readOnly: true);
            }
#pragma warning disable CA1031 // If even a read-only open fails, reads fail too; the error says so.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _logger.LogCritical(ex, "Reopening the conductor's database at {Location} read-only failed; reads fail too until the conductor is restarted.", Location);
            }

            _readOnlyReason = reason;
            return new StorageFailureException(
                $"The conductor could not write to its database at {Location} ({reason}); the write was not stored. "
                + "The conductor now serves reads only: free disk space or fix the disk, then restart the conductor, and retry the write with the same request.",
                cause);
        }
    }

    private StorageFailureException ReadOnlyError(string reason) => new(
        $"The conductor's database at {Location} is read-only since a storage fault ({reason}), so the write was not stored. "
        + "Free disk space or fix the disk, then restart the conductor, and retry the write with the same request.");

    /// <summary>
    /// Looks a host's instance write up among the requests the instance remembers and, for an instance not written since
    /// the upgrade from a conductor version that kept them in the request ledger, in the ledger; when found, returns the outcome it was answered with. Call
    /// inside the write, after the ownership check.
    /// </summary>
    /// <param name="doc">The instance, owned by the caller.</param>
    /// <param name="key">The write's key.</param>
    /// <param name="outcome">The original outcome, when this returns <see langword="true"/>.</param>
    /// <returns>Whether the request was applied before.</returns>
    /// <exception cref="ConductorException">The caller used the request id before for a different request.</exception>
    internal bool TryReplay(Documents.InstanceDocument doc, WriteKey key, out Abstractions.Compute.Instance outcome)
    {
        // The ledger is read only for an instance this version has not written yet: once it has, the instance remembers
        // every request applied to it since, so the ledger lookup (an index search per update) is skipped.
        if (!doc.TryReplay(key, out outcome) && (doc.RecentRequests is not null || !Ledger.TryReplay(key, out outcome)))
        {
            return false;
        }

        LogReplayed(_logger, key.Operation, key.RequestId!.Value, key.Caller);
        return true;
    }

    /// <summary>
    /// The commit stage of a group-commit batch: applies its writes in one transaction (or, when one of them is
    /// refused, each in a transaction of its own) and commits. Fails every write it does not commit; never throws.
    /// </summary>
    /// <param name="batch">The writes, in arrival order.</param>
    private void CommitBatch(List<PendingWrite> batch)
    {
        if (_readOnlyReason is { } reason)
        {
            FailAll(batch, ReadOnlyError(reason));
            return;
        }

        lock (_commitGate)
        {
            try
            {
                if (!TryApplyTogether(batch))
                {
                    ApplyEachAlone(batch);
                }
            }
            catch (Exception ex) when (IsStorageFault(ex))
            {
                DiscardWriteMemory();
                AbandonFailedTransaction(_database);
                FailAll(batch, SwitchToReadOnly(ex, "a write"));
            }
        }
    }

    /// <summary>Applies every write of the batch in one transaction and commits it.</summary>
    /// <param name="batch">The requests.</param>
    /// <returns><see langword="false"/> when a write was refused (everything was rolled back) or the batch has one write only; <see langword="true"/> when all committed.</returns>
    private bool TryApplyTogether(List<PendingWrite> batch)
    {
        if (batch.Count == 1)
        {
            // Alone anyway: a refusal then needs no second attempt.
            return false;
        }

        LiteDatabase db = _database;
        BeginTransaction(db);
        try
        {
            foreach (PendingWrite request in batch)
            {
                request.Apply(this);
            }

            db.Commit();
            CommitWriteMemory();
            return true;
        }
        catch (Exception ex) when (!IsStorageFault(ex))
        {
            // One write refused (or failed): LiteDB has no savepoints, so undo the batch and give each write its own transaction.
            TryRollback(db);
            return false;
        }
        catch
        {
            TryRollback(db);
            throw;
        }
    }

    private void ApplyEachAlone(List<PendingWrite> batch)
    {
        LiteDatabase db = _database;
        foreach (PendingWrite request in batch)
        {
            BeginTransaction(db);
            try
            {
                request.Apply(this);
                db.Commit();
                CommitWriteMemory();
            }
            catch (Exception ex) when (!IsStorageFault(ex))
            {
                TryRollback(db);
                request.Fail(ex);
            }
            catch
            {
                TryRollback(db);
                throw;
            }
        }
    }

    /// <summary>
    /// Keeps LiteDB from finalizing a transaction that an I/O error left half-committed on the committing thread.
    /// </summary>
    /// <remarks>
    /// LiteDB 5.0.21 keeps a thread's explicit transaction in a thread-local slot and disposes it from its finalizer
    /// once the thread ends. A commit that failed on an I/O error cannot be rolled back (the engine has closed itself),
    /// so the transaction stays active; when that thread ends (the writer thread at shutdown, or a thread-pool thread the pool retires), its finalizer tries to discard pages that are no
    /// longer writable and throws on the finalizer thread ("discarded page must be writable"), which would end the
    /// process. Only on this fault path, the transaction is looked up and its finalizer suppressed; it is garbage then.
    /// </remarks>
    /// <param name="db">The database whose commit failed.</param>
    private void AbandonFailedTransaction(LiteDatabase db)
    {
        try
        {
            const BindingFlags Instance = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;
            object? engine = typeof(LiteDatabase).GetField("_engine", Instance)?.GetValue(db);
            object? monitor = engine?.GetType().GetField("_monitor", Instance)?.GetValue(engine);
            object? transaction = monitor?.GetType().GetMethod("GetThreadTransaction", Instance)?.Invoke(monitor, null);
            if (transaction is not null)
            {
                GC.SuppressFinalize(transaction);
            }
        }
#pragma warning disable CA1031 // Best effort on a path that is already failing; the fault itself is reported by the caller.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _logger.LogDebug(ex, "Could not set the failed transaction aside.");
        }
    }

    /// <summary>
    /// Finds an instance inside a write, as the write's transaction sees it, from the writer's cache when it holds it
    /// (<see cref="InstanceWriteCache"/>). Only a write may call it, on the committing thread.
    /// </summary>
    /// <param name="id">The instance id.</param>
    /// <returns>A copy the write may change, or <see langword="null"/> when there is no such instance.</returns>
    internal Documents.InstanceDocument? FindInstanceForWrite(Guid id)
    {
        Debug.Assert(_commitGate.IsHeldByCurrentThread, "Only a write reads instances through the writer's cache.");
        return InstanceCache.Find(id, _findInstance);
    }

    /// <summary>
    /// Finds an instance as last committed, if a recent write touched it (<see cref="InstanceWriteCache.TryGetCommitted"/>).
    /// Safe on any thread; after a storage fault it finds nothing, so that reads come from the reopened database.
    /// </summary>
    /// <param name="id">The instance id.</param>
    /// <param name="instance">The instance, when this returns <see langword="true"/>; shared, and immutable.</param>
    /// <returns>Whether it was found; if not, read the database.</returns>
    internal bool TryGetCommittedInstance(Guid id, [NotNullWhen(true)] out Abstractions.Compute.Instance? instance)
    {
        if (_readOnlyReason is not null)
        {
            instance = null;
            return false;
        }

        return InstanceCache.TryGetCommitted(id, out instance);
    }

    /// <summary>Updates an instance inside a write, and the writer's cache with it. Only a write may call it.</summary>
    /// <param name="doc">The instance, as read by <see cref="FindInstanceForWrite"/> and changed.</param>
    internal void UpdateInstance(Documents.InstanceDocument doc)
    {
        Debug.Assert(_commitGate.IsHeldByCurrentThread, "Only a write writes instances.");
        if (Instances.Update(doc))
        {
            InstanceCache.Written(doc);
        }
    }

    /// <summary>Inserts an instance inside a write, and into the writer's cache. Only a write may call it.</summary>
    /// <param name="doc">The new instance.</param>
    internal void InsertInstance(Documents.InstanceDocument doc)
    {
        Debug.Assert(_commitGate.IsHeldByCurrentThread, "Only a write writes instances.");
        Instances.Insert(doc);
        InstanceCache.Written(doc);
    }

    /// <summary>Keeps what the committed transaction changed in the writer's in-memory views (the scheduler's, the instance cache).</summary>
    private void CommitWriteMemory()
    {
        HostUsage.Commit();
        SchedulingHosts.Commit();
        InstanceCache.Commit();
    }

    /// <summary>Drops what a rolled-back or failed transaction changed in the writer's in-memory views.</summary>
    private void DiscardWriteMemory()
    {
        HostUsage.Discard();
        SchedulingHosts.Discard();
        InstanceCache.Discard();
    }

    private static void BeginTransaction(LiteDatabase db)
    {
        if (!db.BeginTrans())
        {
            throw new InvalidOperationException("A conductor write began inside another transaction on the same thread. Writes must not nest.");
        }
    }

    private static void FailAll(List<PendingWrite> batch, Exception error)
    {
        foreach (PendingWrite request in batch)
        {
            request.Fail(error);
        }
    }

    private void SyncOrFail()
    {
        try
        {
            _sync.Sync();
        }
        catch (Exception ex)
        {
            // After a failed fsync the kernel may have dropped the dirty pages: nothing written since the last good sync
            // can be trusted to be on disk, so stop writing rather than acknowledge on top of it.
            SwitchToReadOnly(ex, "sync");
            throw;
        }
    }

    private void TryRollback(LiteDatabase db)
    {
        DiscardWriteMemory();
        try
        {
            db.Rollback();
        }
#pragma warning disable CA1031 // A rollback after a fault may fail as well; the original exception is what matters.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _logger.LogDebug(ex, "Rolling back a failed write reported an error too.");
        }
    }

    [LoggerMessage(20, LogLevel.Information, "Answered a retry of {Operation} request {RequestId} from {Caller} with its original outcome from the request ledger; nothing was applied again.")]
    private static partial void LogReplayed(ILogger logger, string operation, Guid requestId, string caller);
}
