using System.Collections.Concurrent;
using System.Diagnostics;

namespace Conductor.LoadGenerator;

/// <summary>Collects the latency and errors of each kind of operation, from every simulated host at once.</summary>
internal sealed class LatencyRecorder
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<double>> _latencies = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _errors = new(StringComparer.Ordinal);

    /// <summary>Gets or sets whether calls are recorded (off while the fleet connects and is seeded).</summary>
    public bool Recording { get; set; }

    /// <summary>Times one call and records its latency, or its error by type.</summary>
    /// <param name="operation">The operation's name.</param>
    /// <param name="call">The call.</param>
    /// <returns>A task that completes when the call has, successfully or not.</returns>
    public async Task TimeAsync(string operation, Func<Task> call)
    {
        long start = Stopwatch.GetTimestamp();
        try
        {
            await call().ConfigureAwait(false);
            if (Recording)
            {
                _latencies.GetOrAdd(operation, _ => new()).Enqueue(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }
#pragma warning disable CA1031 // Every failure is counted and reported; the host keeps going, as a compute host would.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _errors.AddOrUpdate($"{operation}: {ex.GetType().Name}: {ex.Message}", 1, (_, n) => n + 1);
        }
    }

    /// <summary>Gets the recorded latencies by operation, sorted.</summary>
    /// <returns>The latencies in milliseconds.</returns>
    public IReadOnlyDictionary<string, double[]> Latencies() =>
        _latencies.ToDictionary(p => p.Key, p => p.Value.Order().ToArray(), StringComparer.Ordinal);

    /// <summary>Gets the errors, by operation, type and message, with their counts.</summary>
    /// <returns>The errors.</returns>
    public IReadOnlyDictionary<string, int> Errors() => _errors.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
}
