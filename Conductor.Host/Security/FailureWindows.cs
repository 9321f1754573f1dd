using System.Runtime.InteropServices;

namespace Conductor.Host.Security;

/// <summary>
/// Counts failures per key in fixed windows, each starting at the key's first failure after the previous window
/// ended; a key with <c>permits</c> failures in its current window is exhausted until the window ends. No timer runs:
/// a window is judged when its key is looked at, and ended windows are swept out while failures are recorded (at most
/// once per window), so keys that never fail cost nothing and the table holds only recent failures.
/// </summary>
internal sealed class FailureWindows
{
    private readonly int _permits;
    private readonly TimeSpan _window;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private long _lastSweep;

    /// <summary>Initializes a new instance of the <see cref="FailureWindows"/> class.</summary>
    /// <param name="permits">How many failures a key may have per window.</param>
    /// <param name="window">The window's length.</param>
    /// <param name="time">The clock.</param>
    public FailureWindows(int permits, TimeSpan window, TimeProvider time)
    {
        _permits = permits;
        _window = window;
        _time = time;
        _lastSweep = time.GetTimestamp();
    }

    /// <summary>Gets how many keys have a window (for tests of the sweep).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _windows.Count;
            }
        }
    }

    /// <summary>Checks whether the key has used up its failures for the current window.</summary>
    /// <param name="key">The key.</param>
    /// <param name="retryAfter">How long until the window ends; zero when not exhausted.</param>
    /// <returns>Whether the key is exhausted.</returns>
    public bool IsExhausted(string key, out TimeSpan retryAfter)
    {
        lock (_lock)
        {
            if (_windows.TryGetValue(key, out Window window) && window.Failures >= _permits)
            {
                TimeSpan age = _time.GetElapsedTime(window.Start);
                if (age < _window)
                {
                    retryAfter = _window - age;
                    return true;
                }
            }
        }

        retryAfter = TimeSpan.Zero;
        return false;
    }

    /// <summary>Counts one failure of the key.</summary>
    /// <param name="key">The key.</param>
    public void Record(string key)
    {
        lock (_lock)
        {
            long now = _time.GetTimestamp();
            if (_time.GetElapsedTime(_lastSweep, now) >= _window)
            {
                Sweep(now);
            }

            ref Window window = ref CollectionsMarshal.GetValueRefOrAddDefault(_windows, key, out bool exists);
            window = exists && _time.GetElapsedTime(window.Start, now) < _window
                ? window with { Failures = window.Failures + 1 }
                : new Window(now, 1);
        }
    }

    private void Sweep(long now)
    {
        _lastSweep = now;
        foreach ((string key, Window window) in _windows)
        {
            if (_time.GetElapsedTime(window.Start, now) >= _window)
            {
                _windows.Remove(key);
            }
        }
    }

    private readonly record struct Window(long Start, int Failures);
}
