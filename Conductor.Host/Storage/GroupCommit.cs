using Conductor.Abstractions;
using Microsoft.Extensions.Logging;

namespace Conductor.Host.Storage;

/// <summary>
/// Group commit in two stages: concurrent writes are applied in one transaction per batch (the commit stage), and
/// every batch committed meanwhile is made durable by one <c>fsync</c> (the sync stage) before any of its writes is
/// acknowledged.
/// </summary>
/// <remarks>
/// <para>
/// Commit stage. Writes join a queue, and one committer at a time takes everything queued (up to
/// <see cref="MaxBatch"/>) and commits it as one transaction, so writes are serialized (a read-check-write needs no
/// lock of its own) and a batch of writes shares its log pages. The committer is the dedicated writer thread, except
/// when a write finds the whole pipeline idle (nothing queued, committing or waiting for a sync): then its caller
/// commits it on its own thread, so that a lone write pays no hand-off. A caller never commits more than the batch it
/// found; if more arrive meanwhile, the writer thread takes over. The caller never syncs on its own thread: StreamJsonRpc
/// was measured to read a connection's next request only once the method handling the previous one yields, so a caller blocked in an
/// fsync would keep the requests behind it (on the same connection) from being read and batched, which measured as
/// 1.3 writes per sync with 16 callers instead of 7.
/// </para>
/// <para>
/// Sync stage. A committed batch joins the requests whose sync has not begun. The dedicated sync thread takes them at
/// the moment its sync begins, so every sync that acknowledges a write began after that write's commit. The commit
/// stage goes on committing while a sync runs, so the two overlap under load. After each sync the sync thread runs the
/// housekeeping action (checkpoint, pruning). Both threads are dedicated (not the thread pool) because they block in
/// the kernel and LiteDB ties transactions and locks to threads.
/// </para>
/// </remarks>
internal sealed class GroupCommit : IDisposable
{
    /// <summary>The most writes one batch takes, so that one transaction (and its memory) stays bounded.</summary>
    internal const int MaxBatch = 256;

    private readonly Lock _lock = new();
    private readonly Queue<PendingWrite> _queue = new();
    private readonly Action<List<PendingWrite>> _commit;
    private readonly Action _sync;
    private readonly Action _housekeeping;
    private readonly string _location;
    private readonly ILogger _logger;
    // Events that never spin: on two cores a waiter spinning for the next batch steals the CPU that would produce it
    // (a profile of 16 writers showed 4% of all CPU in SemaphoreSlim's spin-wait). Each is set only by whoever hands
    // its thread the stage, and reset by that thread right after waking, while it owns the stage, so no set is lost.
    private readonly ManualResetEventSlim _commitWake = new(initialState: false, spinCount: 0);
    private readonly ManualResetEventSlim _syncWake = new(initialState: false, spinCount: 0);
    private readonly ManualResetEventSlim _idle = new(initialState: true);
    private readonly Thread _writer;
    private readonly Thread _syncer;
    private List<PendingWrite> _committing = new(MaxBatch);
    private List<PendingWrite> _toSync = [];
    private List<PendingWrite> _syncing = [];
    private bool _commitOwned;
    private bool _syncRequested;
    private int _unsynced;
    private bool _stopping;
    private long _requestCount;
    private long _batchCount;
    private long _syncCount;
    private long _joinedSyncCount;

    /// <summary>Initializes a new instance of the <see cref="GroupCommit"/> class and starts its threads.</summary>
    /// <param name="commit">
    /// Applies the writes of a batch and commits them; fails (<see cref="PendingWrite.Fail"/>) every write it does not
    /// commit, and must not throw.
    /// </param>
    /// <param name="sync">Makes every earlier commit durable; throws when it cannot.</param>
    /// <param name="housekeeping">Runs after each sync, outside any batch; failures are logged.</param>
    /// <param name="location">Where the data lives, for messages.</param>
    /// <param name="logger">The logger.</param>
    public GroupCommit(Action<List<PendingWrite>> commit, Action sync, Action housekeeping, string location, ILogger logger)
    {
        _commit = commit;
        _sync = sync;
        _housekeeping = housekeeping;
        _location = location;
        _logger = logger;
        _writer = new Thread(RunWriter) { IsBackground = true, Name = "Conductor storage writer" };
        _syncer = new Thread(RunSyncer) { IsBackground = true, Name = "Conductor storage sync" };
        _writer.Start();
        _syncer.Start();
    }

    /// <summary>Gets the number of requests (writes and durability waits) submitted so far.</summary>
    public long RequestCount => Interlocked.Read(ref _requestCount);

    /// <summary>Gets the number of batches committed so far.</summary>
    public long BatchCount => Interlocked.Read(ref _batchCount);

    /// <summary>Gets the number of requests that have joined the sync stage so far (committed writes and barriers).</summary>
    public long JoinedSyncCount => Interlocked.Read(ref _joinedSyncCount);

    /// <summary>Gets the number of syncs run so far.</summary>
    public long SyncCount => Interlocked.Read(ref _syncCount);

    /// <summary>
    /// Submits a write (applied in a later batch, or on this thread if the pipeline is idle) or a durability barrier
    /// (completed by the next sync). Returns without waiting for the sync.
    /// </summary>
    /// <param name="request">The request.</param>
    public void Submit(PendingWrite request)
    {
        bool commitHere;
        lock (_lock)
        {
            if (_stopping)
            {
                request.Fail(new StorageFailureException(
                    $"The conductor's database at {_location} is shutting down, so the write was not applied. Retry against the restarted conductor."));
                return;
            }

            _requestCount++;
            _idle.Reset();
            if (!request.IsWrite)
            {
                JoinSync(request);
                return;
            }

            _queue.Enqueue(request);
            if (_commitOwned)
            {
                return;
            }

            _commitOwned = true;
            commitHere = _unsynced == 0 && _queue.Count == 1;
        }

        if (!commitHere || CommitOneBatch())
        {
            _commitWake.Set();
        }
    }

    /// <summary>Stops taking requests, completes the queued ones, and stops both threads.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_stopping)
            {
                return;
            }

            _stopping = true;
            if (!_commitOwned && _unsynced == 0)
            {
                _idle.Set();
            }
        }

        _idle.Wait();
        _commitWake.Set();
        _syncWake.Set();
        _writer.Join();
        _syncer.Join();
        _commitWake.Dispose();
        _syncWake.Dispose();
        _idle.Dispose();
    }

    private void RunWriter()
    {
        while (true)
        {
            _commitWake.Wait();
            _commitWake.Reset();
            if (Volatile.Read(ref _stopping) && !Volatile.Read(ref _commitOwned))
            {
                return;
            }

            while (CommitOneBatch())
            {
            }
        }
    }

    /// <summary>Commits the queued writes as one batch and passes them to the sync stage.</summary>
    /// <returns>Whether more writes are queued (the commit stage stays owned); otherwise ownership has been given up.</returns>
    private bool CommitOneBatch()
    {
        List<PendingWrite> batch = _committing;
        lock (_lock)
        {
            while (batch.Count < MaxBatch && _queue.TryDequeue(out PendingWrite? request))
            {
                batch.Add(request);
            }
        }

        try
        {
            _commit(batch);
            Interlocked.Increment(ref _batchCount);
        }
#pragma warning disable CA1031 // The commit action must not throw; if it does, its writes still get an answer and the writer lives on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _logger.LogError(ex, "A batch of writes to the conductor's database at {Location} failed unexpectedly.", _location);
            Fail(batch, new StorageFailureException(
                $"The conductor could not complete the write to its database at {_location} ({ex.Message}). Treat the write as not stored, check the conductor's log, and retry.",
                ex));
        }

        bool committedOnly = false;
        lock (_lock)
        {
            foreach (PendingWrite request in batch)
            {
                // Refused writes were failed by the commit action and wait for nothing.
                if (!request.IsCompleted)
                {
                    if (request.WaitsForSync)
                    {
                        JoinSync(request);
                    }
                    else
                    {
                        committedOnly = true;
                    }
                }
            }
        }

        if (committedOnly)
        {
            foreach (PendingWrite request in batch)
            {
                if (!request.WaitsForSync)
                {
                    request.Acknowledge();
                }
            }
        }

        batch.Clear();
        lock (_lock)
        {
            if (_queue.Count > 0)
            {
                return true;
            }

            _commitOwned = false;
            SetIdleIfIdle();
            return false;
        }
    }

    private void JoinSync(PendingWrite request)
    {
        _toSync.Add(request);
        _unsynced++;
        Interlocked.Increment(ref _joinedSyncCount);
        if (!_syncRequested)
        {
            _syncRequested = true;
            _syncWake.Set();
        }
    }

    private void RunSyncer()
    {
        while (true)
        {
            _syncWake.Wait();
            _syncWake.Reset();
            List<PendingWrite> batch;
            lock (_lock)
            {
                if (_stopping && _toSync.Count == 0 && !_commitOwned)
                {
                    return;
                }

                batch = _toSync;
                _toSync = _syncing;
                _syncing = batch;
                _syncRequested = false;
            }

            if (batch.Count > 0)
            {
                SyncAndAcknowledge(batch);
            }
        }
    }

    private void SyncAndAcknowledge(List<PendingWrite> batch)
    {
        Exception? failure = null;
        try
        {
            _sync();
            Interlocked.Increment(ref _syncCount);
        }
#pragma warning disable CA1031 // Any failure must reach the waiters as a typed storage failure, never kill the sync thread.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _logger.LogError(ex, "Syncing the conductor's database at {Location} to disk failed; the writes waiting on it were reported as not stored.", _location);
            failure = new StorageFailureException(
                $"The conductor could not confirm that the write reached the disk at {_location} ({ex.Message}). Treat the write as not stored, check the disk and the conductor's log, and retry.",
                ex);
        }

        lock (_lock)
        {
            // Before the replies: a caller that writes again as soon as it has its answer finds the pipeline idle.
            _unsynced -= batch.Count;
            SetIdleIfIdle();
        }

        foreach (PendingWrite request in batch)
        {
            if (failure is null)
            {
                request.Acknowledge();
            }
            else
            {
                request.Fail(failure);
            }
        }

        batch.Clear();
        if (failure is not null)
        {
            return;
        }

        try
        {
            _housekeeping();
        }
#pragma warning disable CA1031 // Housekeeping failures are logged; the next write's sync reports any lasting I/O problem.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _logger.LogError(ex, "Checkpointing or pruning the conductor's database at {Location} failed.", _location);
        }
    }

    private void SetIdleIfIdle()
    {
        if (!_commitOwned && _unsynced == 0 && _queue.Count == 0)
        {
            _idle.Set();
        }
    }

    private static void Fail(List<PendingWrite> batch, Exception error)
    {
        foreach (PendingWrite request in batch)
        {
            request.Fail(error);
        }
    }
}
