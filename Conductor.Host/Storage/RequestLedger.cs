using System.Text.Json;
using Conductor.Abstractions;
using Conductor.Abstractions.Wire;
using Conductor.Host.Storage.Documents;
using LiteDB;

namespace Conductor.Host.Storage;

/// <summary>
/// The record of applied writes by request id, so that a write retried after a lost reply is answered with its
/// original outcome and never applied twice. Entries are written inside the write's own transaction (see
/// <see cref="LiteDbConductorDatabase.WriteAsync{T}"/>), so an entry exists exactly when its write was committed.
/// </summary>
/// <remarks>
/// <para>
/// Retention is bounded: entries older than the retention are pruned after group-commit batches, a bounded number at a time, but only
/// once the conductor has been up for a whole retention period, so a client that retries across an outage still
/// finds its entry for a full retention period after the conductor comes back.
/// </para>
/// <para>
/// An entry costs one document and one node in the <c>_id</c> index, nothing more: the ledger is written in every
/// durable write's transaction, and each extra index page is another 8 KB page in that commit's log write. Clients
/// make time-ordered request ids (<see cref="Guid.CreateVersion7()"/>, which <see cref="Guid.CompareTo(Guid)"/> and so
/// LiteDB sort by time), so new entries append at the end of the index instead of dirtying pages at random places,
/// and pruning finds old entries by their id's range instead of through an index on
/// <see cref="RequestLedgerDocument.AppliedAtUtc"/>. Any id stays correct: pruning always checks
/// <see cref="RequestLedgerDocument.AppliedAtUtc"/> before it deletes, and ids that do not sort by time (older clients'
/// random ids, clocks far ahead) are swept a bounded number at a time (<see cref="SweepBatch"/>).
/// </para>
/// </remarks>
internal sealed class RequestLedger
{
    /// <summary>The most entries one pruning pass deletes, so that housekeeping never stalls the writes behind it for long.</summary>
    internal const int PruneBatch = 5000;

    /// <summary>The most entries with ids above the time-ordered range (see the remarks) one pruning pass reads.</summary>
    internal const int SweepBatch = 5000;

    /// <summary>How far ahead of the conductor's clock a client's clock may be for its ids to count as time-ordered.</summary>
    internal static readonly TimeSpan ClockMargin = TimeSpan.FromMinutes(10);

    private static readonly JsonSerializerOptions s_json = CreateJsonOptions();

    private readonly Func<LiteDatabase> _database;
    private long _replayCount;
    private Guid _sweepCursor;

    /// <summary>Initializes a new instance of the <see cref="RequestLedger"/> class.</summary>
    /// <param name="database">Returns the open database (it changes when the database is reopened read-only).</param>
    public RequestLedger(Func<LiteDatabase> database)
    {
        _database = database;
    }

    /// <summary>Gets the number of retried writes answered from the ledger since the database opened.</summary>
    public long ReplayCount => Interlocked.Read(ref _replayCount);

    private ILiteCollection<RequestLedgerDocument> Entries => _database().GetCollection<RequestLedgerDocument>(CollectionNames.RequestLedger);

    /// <summary>
    /// Leaves the ledger with its <c>_id</c> index only (dropping the <see cref="RequestLedgerDocument.AppliedAtUtc"/>
    /// index that earlier conductors made, which cost index pages in every write). Runs once when the database opens for writing.
    /// </summary>
    /// <param name="db">The database.</param>
    public static void EnsureIndexes(LiteDatabase db) =>
        db.GetCollection<RequestLedgerDocument>(CollectionNames.RequestLedger).DropIndex(nameof(RequestLedgerDocument.AppliedAtUtc));

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
    public int Prune(DateTime cutoffUtc) => Prune(cutoffUtc, DateTime.UtcNow);

    /// <summary>Deletes up to <see cref="PruneBatch"/> entries applied before <paramref name="cutoffUtc"/>.</summary>
    /// <param name="cutoffUtc">Entries applied before this are deleted.</param>
    /// <param name="nowUtc">The conductor's clock.</param>
    /// <returns>How many were deleted.</returns>
    /// <remarks>
    /// Time-ordered ids of entries older than the cutoff sort below <see cref="TimeFloor"/> of the cutoff, so they are
    /// one range of the <c>_id</c> index. Ids that sort above the conductor's clock plus <see cref="ClockMargin"/> are
    /// swept from a cursor, <see cref="SweepBatch"/> at a time, so that every entry is eventually looked at. Ids in
    /// between move into the first range as time passes.
    /// </remarks>
    public int Prune(DateTime cutoffUtc, DateTime nowUtc)
    {
        LiteDatabase db = _database();
        ILiteCollection<RequestLedgerDocument> entries = db.GetCollection<RequestLedgerDocument>(CollectionNames.RequestLedger);
        var cutoff = new BsonValue(cutoffUtc);
        List<Guid> ids = entries.Find(
                Query.And(Query.LT("_id", new BsonValue(TimeFloor(cutoffUtc))), Query.LT(nameof(RequestLedgerDocument.AppliedAtUtc), cutoff)),
                limit: PruneBatch)
            .Select(x => x.Id)
            .ToList();
        if (ids.Count < PruneBatch)
        {
            ids.AddRange(Sweep(entries, cutoffUtc, nowUtc, PruneBatch - ids.Count));
        }

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

    /// <summary>Returns the smallest id that a time-ordered (version 7) id made at <paramref name="utc"/> sorts at or above.</summary>
    /// <param name="utc">The time.</param>
    /// <returns>The id with that time's Unix milliseconds in its first 48 bits and zeros after.</returns>
    internal static Guid TimeFloor(DateTime utc)
    {
        long ms = Math.Max(0, new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToUnixTimeMilliseconds());
        Span<byte> bytes = stackalloc byte[16];
        bytes.Clear();
        for (int i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(ms >> (8 * (5 - i)));
        }

        return new Guid(bytes, bigEndian: true);
    }

    private List<Guid> Sweep(ILiteCollection<RequestLedgerDocument> entries, DateTime cutoffUtc, DateTime nowUtc, int limit)
    {
        // Above this, ids are not (or not yet) in the time-ordered range: random ids, or clocks far ahead.
        Guid floor = TimeFloor(nowUtc + ClockMargin);
        Guid start = _sweepCursor.CompareTo(floor) > 0 ? _sweepCursor : floor;
        List<RequestLedgerDocument> read = entries.Find(Query.GT("_id", new BsonValue(start)), limit: SweepBatch).ToList();
        _sweepCursor = read.Count < SweepBatch ? Guid.Empty : read[^1].Id;
        return read.Where(x => x.AppliedAtUtc < cutoffUtc).Select(x => x.Id).Take(limit).ToList();
    }

    /// <summary>The error for a request id used before for a different request.</summary>
    /// <param name="id">The request id.</param>
    /// <param name="inner">The cause, if any.</param>
    /// <returns>The error.</returns>
    internal static ConflictException IdTaken(Guid id, Exception? inner) =>
        new($"Request id {id} was already used for a different request. Give every new write request its own id (new request objects get one; a copy made with 'with' keeps it) and reuse an id only to retry the very same request.", inner);

    private static JsonSerializerOptions CreateJsonOptions()
    {
        JsonSerializerOptions options = ConductorWire.CreateJsonSerializerOptions();
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
