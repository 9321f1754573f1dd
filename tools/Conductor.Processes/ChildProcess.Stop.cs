using System.Globalization;

namespace Conductor.Processes;

/// <content>Waiting for the process to exit, stopping it and killing it.</content>
internal sealed partial class ChildProcess
{
    private static readonly TimeSpan s_killWait = TimeSpan.FromSeconds(30);

    /// <summary>Waits for the process to exit by itself.</summary>
    /// <param name="timeout">How long to wait; after that the process is killed.</param>
    /// <param name="cancellationToken">Kills the process and stops waiting.</param>
    /// <returns>Its exit code.</returns>
    /// <exception cref="TimeoutException">It had not exited within <paramref name="timeout"/> and was killed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the process was killed.</exception>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        await WaitOrKillAsync(timeout, $"did not exit within {Seconds(timeout)} s", cancellationToken).ConfigureAwait(false);
        return ExitCode;
    }

    /// <summary>Stops the process with SIGTERM (a kill where there are no signals) and waits for it to exit.</summary>
    /// <param name="timeout">How long it may take to stop; after that it is killed.</param>
    /// <param name="cancellationToken">Kills the process and stops waiting.</param>
    /// <returns>Its exit code.</returns>
    /// <exception cref="TimeoutException">It had not exited within <paramref name="timeout"/> of SIGTERM and was killed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the process was killed.</exception>
    public async Task<int> StopAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (!HasExited && !ProcessSignals.TryTerminate(_process))
        {
            await KillAsync().ConfigureAwait(false);
            return ExitCode;
        }

        await WaitOrKillAsync(timeout, $"did not exit within {Seconds(timeout)} s of SIGTERM", cancellationToken).ConfigureAwait(false);
        return ExitCode;
    }

    /// <summary>Kills the process (and anything it started) and waits for it to be gone.</summary>
    /// <returns>A task that completes when it has exited.</returns>
    public async Task KillAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        try
        {
            await Completion.WaitAsync(s_killWait).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A process that outlives SIGKILL this long is the kernel's business; there is nothing more to do here.
        }
    }

    /// <summary>Kills the process if it still runs.</summary>
    /// <returns>A task that completes when it is gone.</returns>
    public async ValueTask DisposeAsync()
    {
        if (!HasExited)
        {
            await KillAsync().ConfigureAwait(false);
        }

        _process.Dispose();
    }

    private async Task WaitOrKillAsync(TimeSpan timeout, string failure, CancellationToken cancellationToken)
    {
        try
        {
            await Completion.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await KillAsync().ConfigureAwait(false);
            throw new TimeoutException($"{this} {failure}, so it was killed.");
        }
        catch (OperationCanceledException)
        {
            await KillAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static string Seconds(TimeSpan timeout) => timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
}
