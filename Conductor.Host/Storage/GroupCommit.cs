using Conductor.Abstractions;
using Microsoft.Extensions.Logging;

namespace Conductor.Host.Storage;

/// <summary>
/// Group commit: concurrent writes are applied in one transaction, made durable by one <c>fsync</c>, and only then
/// acknowledged, one batch at a time.
/// </summary>
/// <remarks>
/// <para>
/// Every write joins a queue. Whoever finds no batch running becomes the leader and runs batches until the queue is
/// empty: it takes everything queued (up to <see cref="MaxBatch"/>), hands it to the batch runner (which applies the
/// writes in one transaction, commits, syncs and acknowledges them) and looks again. Writes that arrive while a batch
/// runs wait for the next one, so batches grow with the load and one sync serves them all, while a write that arrives
/// alone is applied, synced and acknowledged on its caller's own thread with no hand-off at all.
/// </para>
/// <para>
/// A caller that led a batch does not stay to lead the next: it wakes the dedicated writer thread, which takes over,
/// and returns to its own caller. That thread is dedicated (not the thread pool) because it blocks in the kernel for
/// every sync and because LiteDB ties transactions and locks to threads. Only one leader runs at a time, so writes
/// are serialized: a write's read-check-write sequence needs no lock of its own.
/// </para>
/// </remarks>
internal sealed class GroupCommit : IDisposable
{
    /// <summary>The most requests one batch takes, so that one transaction (and its memory) stays bounded.</summary>
    internal const int MaxBatch = 256;

    private readonly Lock _lock = new();
    private readonly Queue<PendingWrite> _queue = new();
    private readonly Action<List<PendingWrite>> _runBatch;
    private readonly string _location;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _takeOver = new(0);
    private readonly ManualResetEventSlim _idle = new(initialState: true);
    private readonly Thread _thread;
    private List<PendingWrite> _batch = new(MaxBatch);
    private bool _leading;
    private bool _stopping;
    private long _batchCount;
    private long _requestCount;

    /// <summary>Initializes a new instance of the <see cref="GroupCommit"/> class and starts its writer thread.</summary>
    /// <param name="runBatch">
    /// Applies, syncs and completes every request of a batch; must complete each one and must not throw.
    /// </param>
    /// <param name="location">Where the data lives, for messages.</param>
    /// <param name="logger">The logger.</param>
    public GroupCommit(Action<List<PendingWrite>> runBatch, string location, ILogger logger)
    {
        _runBatch = runBatch;
        _location = location;
        _logger = logger;
        _thread = new Thread(RunWriterThread) { IsBackground = true, Name = "Conductor storage writer" };
        _thread.Start();
    }

    /// <summary>Gets the number of batches run so far (each ends with one sync).</summary>
    public long BatchCount => Interlocked.Read(ref _batchCount);

    /// <summary>Gets the number of requests (writes and barriers) queued so far.</summary>
    public long RequestCount => Interlocked.Read(ref _requestCount);

    /// <summary>
    /// Queues a request. When no batch is running, runs the batch on the calling thread before returning; otherwise
    /// returns at once and the request completes with a later batch.
    /// </summary>
    /// <param name="request">The request.</param>
    public void Submit(PendingWrite request)
    {
        lock (_lock)
        {
            if (_stopping)
            {
                request.Fail(new StorageFailureException(
                    $"The conductor's database at {_location} is shutting down, so the write was not applied. Retry against the restarted conductor."));
                return;
            }

            _queue.Enqueue(request);
            Interlocked.Increment(ref _requestCount);
            if (_leading)
            {
                return;
            }

            _leading = true;
            _idle.Reset();
        }

        if (RunOneBatch())
        {
            // More arrived while this batch ran: the writer thread takes over, and this caller gets its answer now.
            _takeOver.Release();
        }
    }

    /// <summary>Stops taking requests, waits for the queued ones to be completed, and stops the writer thread.</summary>
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

        _idle.Wait();
        _takeOver.Release();
        _thread.Join();
        _takeOver.Dispose();
        _idle.Dispose();
    }

    private void RunWriterThread()
    {
        while (true)
        {
            _takeOver.Wait();
            bool more;
            do
            {
                more = RunOneBatch();
            }
            while (more);

            lock (_lock)
            {
                if (_stopping && !_leading)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Runs the queued requests as one batch, as the leader.</summary>
    /// <returns>Whether more requests are queued (the caller stays leader); otherwise leadership has been given up.</returns>
    private bool RunOneBatch()
    {
        List<PendingWrite> batch = _batch;
        lock (_lock)
        {
            while (batch.Count < MaxBatch && _queue.TryDequeue(out PendingWrite? request))
            {
                batch.Add(request);
            }
        }

        try
        {
            if (batch.Count > 0)
            {
                _runBatch(batch);
                Interlocked.Increment(ref _batchCount);
            }
        }
#pragma warning disable CA1031 // The runner must not throw; if it does, its requests still get an answer and the writer lives on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _logger.LogError(ex, "A batch of writes to the conductor's database at {Location} failed unexpectedly.", _location);
            var error = new StorageFailureException(
                $"The conductor could not complete the write to its database at {_location} ({ex.Message}). Treat the write as not stored, check the conductor's log, and retry.",
                ex);
            foreach (PendingWrite request in batch)
            {
                request.Fail(error);
            }
        }
        finally
        {
            batch.Clear();
        }

        lock (_lock)
        {
            if (_queue.Count > 0)
            {
                return true;
            }

            _leading = false;
            _idle.Set();
            return false;
        }
    }
}
