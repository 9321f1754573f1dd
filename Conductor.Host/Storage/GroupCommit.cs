using Conductor.Abstractions;
using Microsoft.Extensions.Logging;

namespace Conductor.Host.Storage;

/// <summary>
/// Batches durability waits so that concurrent writers share one <c>fsync</c> (group commit).
/// </summary>
/// <remarks>
/// <para>
/// A waiter joins the batch whose sync has not begun yet. A dedicated thread swaps that batch out, runs the sync,
/// and completes it. Because the batch is swapped out only at the moment its sync begins, every sync that completes
/// a waiter began after the waiter joined, so it covers every commit the waiter made before joining.
/// </para>
/// <para>
/// No lock is held during the sync: writers keep committing and joining the next batch while one runs. After each
/// sync the thread runs the housekeeping action (the checkpoint), outside any batch, so that waiters are not delayed
/// by it. A dedicated thread (not the thread pool) is used because the sync blocks in the kernel and LiteDB's
/// checkpoint takes thread-bound locks.
/// </para>
/// </remarks>
internal sealed class GroupCommit : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Action _sync;
    private readonly Action _housekeeping;
    private readonly string _location;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _wakeUp = new(0);
    private readonly Thread _thread;
    private TaskCompletionSource _next = NewBatch();
    private bool _nextRequested;
    private bool _stopping;
    private long _syncCount;
    private long _waitCount;

    /// <summary>Initializes a new instance of the <see cref="GroupCommit"/> class and starts its sync thread.</summary>
    /// <param name="sync">Makes every earlier commit durable; throws when it cannot.</param>
    /// <param name="housekeeping">Runs after each sync, outside any batch; failures are logged.</param>
    /// <param name="location">Where the data lives, for messages.</param>
    /// <param name="logger">The logger.</param>
    public GroupCommit(Action sync, Action housekeeping, string location, ILogger logger)
    {
        _sync = sync;
        _housekeeping = housekeeping;
        _location = location;
        _logger = logger;
        _thread = new Thread(Run) { IsBackground = true, Name = "Conductor storage sync" };
        _thread.Start();
    }

    /// <summary>Gets the number of syncs run so far.</summary>
    public long SyncCount => Interlocked.Read(ref _syncCount);

    /// <summary>Gets the number of waits that joined a batch so far.</summary>
    public long WaitCount => Interlocked.Read(ref _waitCount);

    /// <summary>Completes after a sync that began after this call has finished.</summary>
    /// <param name="cancellationToken">Cancels the wait, not the sync.</param>
    /// <returns>A task that completes when earlier commits are durable.</returns>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        Task batch;
        lock (_lock)
        {
            if (_stopping)
            {
                return Task.FromException(new StorageFailureException(
                    $"The conductor's database at {_location} is shutting down, so the write could not be confirmed as stored. Retry against the restarted conductor."));
            }

            batch = _next.Task;
            Interlocked.Increment(ref _waitCount);
            if (!_nextRequested)
            {
                _nextRequested = true;
                _wakeUp.Release();
            }
        }

        return batch.WaitAsync(cancellationToken);
    }

    /// <summary>Runs a last sync for any waiters, then stops the sync thread.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_stopping)
            {
                return;
            }

            _stopping = true;
        }

        _wakeUp.Release();
        _thread.Join();
        _wakeUp.Dispose();
    }

    private static TaskCompletionSource NewBatch() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Run()
    {
        while (true)
        {
            _wakeUp.Wait();
            TaskCompletionSource batch;
            bool requested;
            bool stopping;
            lock (_lock)
            {
                batch = _next;
                requested = _nextRequested;
                stopping = _stopping;
                _next = NewBatch();
                _nextRequested = false;
            }

            if (requested)
            {
                SyncBatch(batch);
            }

            if (stopping)
            {
                // Waiters cannot join once stopping is set, so the batch swapped out above was the last one.
                return;
            }
        }
    }

    private void SyncBatch(TaskCompletionSource batch)
    {
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
            batch.TrySetException(new StorageFailureException(
                $"The conductor could not confirm that the write reached the disk at {_location} ({ex.Message}). Treat the write as not stored, check the disk and the conductor's log, and retry.",
                ex));
            return;
        }

        batch.TrySetResult();
        try
        {
            _housekeeping();
        }
#pragma warning disable CA1031 // Housekeeping failures are logged; the next write's sync reports any lasting I/O problem.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _logger.LogError(ex, "Checkpointing the conductor's database at {Location} failed.", _location);
        }
    }
}
