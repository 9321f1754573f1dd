using Conductor.Host.Storage;

namespace Conductor.Host.Tests.Storage;

/// <summary>
/// A sync seam that counts syncs, runs a probe when one begins, signals it, and (while closed) holds it at a gate.
/// </summary>
internal sealed class GatedStorageSync : IStorageSync, IDisposable
{
    private readonly ManualResetEventSlim _gate = new(initialState: true);
    private TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _count;

    /// <summary>Gets or sets a probe run at the start of each sync, before the gate.</summary>
    public Action? OnSync { get; set; }

    /// <summary>Gets or sets an exception to throw from the next syncs.</summary>
    public Exception? Failure { get; set; }

    public int Count => Volatile.Read(ref _count);

    /// <summary>Gets a task that completes when the next sync begins (reset with <see cref="ResetStarted"/>).</summary>
    public Task Started => Volatile.Read(ref _started).Task;

    public void ResetStarted() => Volatile.Write(ref _started, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public void Close() => _gate.Reset();

    public void Open() => _gate.Set();

    public void Sync()
    {
        Interlocked.Increment(ref _count);
        OnSync?.Invoke();
        Volatile.Read(ref _started).TrySetResult();
        if (!_gate.Wait(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException("The test never opened the sync gate.");
        }

        if (Failure is { } failure)
        {
            throw failure;
        }
    }

    public void Dispose()
    {
        _gate.Set();
        _gate.Dispose();
    }
}
