using System.Text.Json;
using Conductor.Abstractions;
using Conductor.Abstractions.Wire;
using Conductor.Host.Storage.Documents;
using LiteDB;

namespace Conductor.Host.Storage;

/// <summary>
/// The record of applied writes by request id, so that a write retried after a lost reply is answered with its
/// original outcome and never applied twice. Entries are written inside the write's own transaction (see
/// <see cref="LiteDbConductorDatabase.Write{T}"/>), so an entry exists exactly when its write was committed.
/// </summary>
/// <remarks>
/// Retention is bounded: entries older than the retention are pruned from the sync thread in small batches, but only
/// once the conductor has been up for a whole retention period, so a client that retries across an outage still
/// finds its entry for a full retention period after the conductor comes back.
/// </remarks>
internal sealed class RequestLedger
{
    /// <summary>The most entries one pruning pass deletes, so that housekeeping never stalls the sync thread for long.</summary>
    internal const int PruneBatch = 5000;

    private static readonly JsonSerializerOptions s_json = CreateJsonOptions();

    private readonly Func<LiteDatabase> _database;
    private long _replayCount;

    /// <summary>Initializes a new instance of the <see cref="RequestLedger"/> class.</summary>
    /// <param name="database">Returns the open database (it changes when the database is reopened read-only).</param>
    public RequestLedger(Func<LiteDatabase> database)
    {
        _database = database;
    }

    /// <summary>Gets the number of retried writes answered from the ledger since the database opened.</summary>
    public long ReplayCount => Interlocked.Read(ref _replayCount);

    private ILiteCollection<RequestLedgerDocument> Entries => _database().GetCollection<RequestLedgerDocument>(CollectionNames.RequestLedger);

    /// <summary>Creates the ledger's index. Runs once when the database opens for writing.</summary>
    /// <param name="db">The database.</param>
    public static void EnsureIndexes(LiteDatabase db) =>
        db.GetCollection<RequestLedgerDocument>(CollectionNames.RequestLedger).EnsureIndex(x => x.AppliedAtUtc);

    /// <summary>Looks a request up; when found, returns the outcome it was answered with.</summary>
    /// <typeparam name="T">The outcome's type.</typeparam>
    /// <param name="key">The write's key.</param>
    /// <param name="outcome">The original outcome, when this returns <see langword="true"/>.</param>
    /// <returns>Whether the request was applied before.</returns>
    /// <exception cref="ConflictException">The caller used the request id before for a different request.</exception>
    /// <remarks>
    /// Another caller's entry is treated as no entry: the write then runs its own checks (so another host's record
    /// still reads as missing), and if it would succeed, recording it fails on the taken id with a conflict.
    /// </remarks>
    public bool TryReplay<T>(WriteKey key, out T outcome)
    {
        outcome = default!;
        if (key.RequestId is not { } id || Entries.FindById(id) is not { } entry || !string.Equals(entry.Caller, key.Caller, StringComparison.Ordinal))
        {
            return false;
        }

        if (!string.Equals(entry.Operation, key.Operation, StringComparison.Ordinal) || !string.Equals(entry.Fingerprint, key.Fingerprint, StringComparison.Ordinal))
        {
            throw IdTaken(id, null);
        }

        outcome = System.Text.Json.JsonSerializer.Deserialize<T>(entry.Outcome, s_json)!;
        Interlocked.Increment(ref _replayCount);
        return true;
    }

    /// <summary>Records an applied write. Call inside the write's transaction.</summary>
    /// <typeparam name="T">The outcome's type.</typeparam>
    /// <param name="key">The write's key; nothing is recorded without a request id.</param>
    /// <param name="outcome">The outcome returned to the caller.</param>
    /// <param name="appliedAtUtc">When the write was applied.</param>
    public void Record<T>(WriteKey key, T outcome, DateTime appliedAtUtc)
    {
        if (key.RequestId is not { } id)
        {
            return;
        }

        try
        {
            Entries.Insert(new RequestLedgerDocument
            {
                Id = id,
                Operation = key.Operation,
                Caller = key.Caller,
                Fingerprint = key.Fingerprint,
                Outcome = System.Text.Json.JsonSerializer.Serialize(outcome, s_json),
                AppliedAtUtc = appliedAtUtc,
            });
        }
        catch (LiteException ex) when (ex.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
        {
            // The id is taken by another caller's write, or by a concurrent write guarded by another lock.
            throw IdTaken(id, ex);
        }
    }

    /// <summary>Deletes up to <see cref="PruneBatch"/> entries applied before <paramref name="cutoffUtc"/>.</summary>
    /// <param name="cutoffUtc">Entries applied before this are deleted.</param>
    /// <returns>How many were deleted.</returns>
    public int Prune(DateTime cutoffUtc)
    {
        LiteDatabase db = _database();
        ILiteCollection<RequestLedgerDocument> entries = db.GetCollection<RequestLedgerDocument>(CollectionNames.RequestLedger);
        List<Guid> ids = entries.Query()
            .Where(Query.LT(nameof(RequestLedgerDocument.AppliedAtUtc), cutoffUtc))
            .Select(x => x.Id)
            .Limit(PruneBatch)
            .ToList();
        if (ids.Count == 0)
        {
            return 0;
        }

        // One transaction for the batch: one log write instead of one per entry. Losing it in a crash only means
        // the entries are pruned again.
        db.BeginTrans();
        try
        {
            foreach (Guid id in ids)
            {
                entries.Delete(id);
            }

            db.Commit();
        }
        catch
        {
            db.Rollback();
            throw;
        }

        return ids.Count;
    }

    private static ConflictException IdTaken(Guid id, Exception? inner) =>
        new($"Request id {id} was already used for a different request. Give every new write request its own id (new request objects get one; a copy made with 'with' keeps it) and reuse an id only to retry the very same request.", inner);

    private static JsonSerializerOptions CreateJsonOptions()
    {
        JsonSerializerOptions options = ConductorWire.CreateJsonSerializerOptions();
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
