namespace Conductor.Host.Tests.Security;

/// <summary>Holds every <see cref="IBlockingApi.WaitAsync"/> call until opened, counting how many run at once.</summary>
internal sealed class BlockingGate
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];
    private int _active;

    public int MaxActive { get; private set; }

    public void Open() => _open.TrySetResult();

    public Task ActiveAsync(int count)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_active >= count)
            {
                return Task.CompletedTask;
            }

            _waiters.Add((count, signal));
        }

        return signal.Task.WaitAsync(SecureConductor.Timeout);
    }

    public async Task<int> PassAsync()
    {
        lock (_lock)
        {
            _active++;
            MaxActive = Math.Max(MaxActive, _active);
            foreach ((int count, TaskCompletionSource signal) in _waiters.Where(w => _active >= w.Count).ToList())
            {
                signal.TrySetResult();
            }
        }

        try
        {
            await _open.Task;
            return MaxActive;
        }
        finally
        {
            lock (_lock)
            {
                _active--;
            }
        }
    }
}
