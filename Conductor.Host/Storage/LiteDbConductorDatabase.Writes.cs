using Conductor.Abstractions;
using LiteDB;
using Microsoft.Extensions.Logging;

namespace Conductor.Host.Storage;

/// <content>Writes: one transaction per write with its ledger entry, and the switch to read-only on a storage fault.</content>
internal sealed partial class LiteDbConductorDatabase
{
    private readonly Lock _faultLock = new();
    private volatile string? _readOnlyReason;

    /// <summary>Gets whether a storage fault has switched the database to read-only.</summary>
    internal bool IsReadOnly => _readOnlyReason is not null;

    /// <summary>
    /// Applies one write in one transaction together with its request ledger entry, or, when the ledger already has
    /// the request, returns the original outcome without applying anything. Call under the lock that guards the
    /// records <paramref name="apply"/> reads and changes, then wait for <see cref="WaitForDurableAsync"/> before
    /// acknowledging (a replay too: the first attempt's commit may not be durable yet).
    /// </summary>
    /// <typeparam name="T">The outcome returned to the caller.</typeparam>
    /// <param name="key">The request id, method and caller.</param>
    /// <param name="apply">Reads, checks and writes; throws a <see cref="ConductorException"/> to refuse (nothing is written).</param>
    /// <returns>The outcome, and whether it was replayed from the ledger.</returns>
    /// <exception cref="StorageFailureException">The database is read-only after a storage fault, or this write hit one.</exception>
    internal WriteOutcome<T> Write<T>(WriteKey key, Func<T> apply)
    {
        ArgumentNullException.ThrowIfNull(apply);
        if (_readOnlyReason is { } reason)
        {
            throw ReadOnlyError(reason);
        }

        LiteDatabase db = _database;
        try
        {
            if (Ledger.TryReplay(key, out T replayed))
            {
                LogReplayed(_logger, key.Operation, key.RequestId!.Value, key.Caller);
                return new WriteOutcome<T>(replayed, Replayed: true);
            }

            if (!db.BeginTrans())
            {
                throw new InvalidOperationException("A conductor write began inside another write's transaction on the same thread. Writes must not nest.");
            }

            try
            {
                T outcome = apply();
                Ledger.Record(key, outcome, Repositories.StorageClock.Now(_settings.Time));
                db.Commit();
                return new WriteOutcome<T>(outcome, Replayed: false);
            }
            catch
            {
                TryRollback(db);
                throw;
            }
        }
        catch (Exception ex) when (IsStorageFault(ex))
        {
            throw SwitchToReadOnly(ex, key.Operation);
        }
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
            LiteDatabase failed = _database;
            try
            {
                failed.Dispose();
            }
#pragma warning disable CA1031 // The engine has already failed; closing it may fail as well and must not stop the switch.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _logger.LogDebug(ex, "Closing the failed database reported an error too.");
            }

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
