using System.Globalization;

namespace Conductor.Processes;

/// <summary>Asks the same question again until the answer is the wanted one, within a bound.</summary>
internal static class Poll
{
    /// <summary>Runs <paramref name="probe"/> every <paramref name="interval"/> until <paramref name="done"/> holds for its answer.</summary>
    /// <typeparam name="T">The answer.</typeparam>
    /// <param name="what">What is awaited, for the timeout's message ("every instance to be active").</param>
    /// <param name="timeout">How long to keep asking.</param>
    /// <param name="interval">The pause between answers.</param>
    /// <param name="probe">Asks once. It may throw to end the wait (for example when a process it depends on has exited).</param>
    /// <param name="done">Whether an answer is the wanted one.</param>
    /// <param name="describe">Describes the last answer for the timeout's message.</param>
    /// <param name="cancellationToken">Stops asking.</param>
    /// <returns>The first wanted answer.</returns>
    /// <exception cref="TimeoutException">No wanted answer within <paramref name="timeout"/>.</exception>
    public static async Task<T> UntilAsync<T>(string what, TimeSpan timeout, TimeSpan interval, Func<Task<T>> probe, Func<T, bool> done, Func<T, string> describe, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(done);
        ArgumentNullException.ThrowIfNull(describe);
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            T answer = await probe().ConfigureAwait(false);
            if (done(answer))
            {
                return answer;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"Gave up waiting for {what} after {timeout.TotalSeconds:0.#} s. Last seen: {describe(answer)}"));
            }

            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
        }
    }
}
