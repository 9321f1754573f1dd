namespace Conductor.Benchmarks.Infrastructure;

/// <summary>Runs many callers at once, each making its calls one after another (so each has one call outstanding).</summary>
public static class Concurrent
{
    /// <summary>Starts <paramref name="callers"/> callers on the thread pool and waits for all of them.</summary>
    /// <param name="callers">How many callers run at once.</param>
    /// <param name="callsEach">How many calls each caller makes, one after another.</param>
    /// <param name="call">One call by the caller with the given index (0 based), and the call's sequence number.</param>
    /// <returns>A task that completes when every call has completed.</returns>
    public static Task RunAsync(int callers, int callsEach, Func<int, int, Task> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var tasks = new Task[callers];
        for (int c = 0; c < callers; c++)
        {
            int caller = c;

            // Task.Run: a call that completes synchronously (the direct repository) would otherwise run every
            // caller's loop one after another on this thread.
            tasks[c] = Task.Run(async () =>
            {
                for (int i = 0; i < callsEach; i++)
                {
                    await call(caller, i).ConfigureAwait(false);
                }
            });
        }

        return Task.WhenAll(tasks);
    }
}
