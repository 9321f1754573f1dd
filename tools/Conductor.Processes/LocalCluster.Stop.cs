namespace Conductor.Processes;

/// <content>Stopping the cluster's processes the way a service manager does, and checking that they stopped cleanly.</content>
internal sealed partial class LocalCluster
{
    /// <summary>Stops one process with SIGTERM and checks that it exits with code 0 in time.</summary>
    /// <param name="process">The process.</param>
    /// <param name="cancellationToken">Kills the process and stops waiting.</param>
    /// <returns>A task that completes when it has exited.</returns>
    /// <exception cref="InvalidOperationException">It exited with another code.</exception>
    /// <exception cref="TimeoutException">It did not exit within <see cref="StepTimeout"/> and was killed.</exception>
    public async Task StopAsync(ChildProcess process, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(process);
        _expectedRunning.Remove(process);
        int exitCode = await process.StopAsync(StepTimeout, cancellationToken).ConfigureAwait(false);

        // Where there is no SIGTERM the process was killed, so its exit code says nothing about a clean stop.
        if (exitCode != 0 && ProcessSignals.CanTerminate)
        {
            throw new InvalidOperationException($"{process} exited with code {exitCode} after SIGTERM instead of 0.");
        }
    }

    /// <summary>
    /// Kills one process with SIGKILL, as a crash or the OOM killer would (no graceful stop, no final sync), and waits
    /// until it is gone. The cluster no longer expects it to run.
    /// </summary>
    /// <param name="process">The process.</param>
    /// <returns>A task that completes when it has exited.</returns>
    public Task KillAsync(ChildProcess process)
    {
        ArgumentNullException.ThrowIfNull(process);
        _expectedRunning.Remove(process);
        return process.KillAsync();
    }

    /// <summary>Stops every compute host, then the conductor, each with SIGTERM, and checks that each exits with code 0.</summary>
    /// <param name="cancellationToken">Kills the processes and stops waiting.</param>
    /// <returns>A task that completes when all have exited.</returns>
    /// <exception cref="AggregateException">One or more did not stop cleanly; each is named.</exception>
    public async Task StopAllAsync(CancellationToken cancellationToken = default)
    {
        var failures = new List<Exception>();
        foreach (Task stop in _computeHosts.Where(h => !h.HasExited).Select(h => StopAsync(h, cancellationToken)).ToList())
        {
            try
            {
                await stop.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
            {
                failures.Add(ex);
            }
        }

        if (Conductor is { HasExited: false } conductor)
        {
            try
            {
                await StopAsync(conductor, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
            {
                failures.Add(ex);
            }
        }

        if (failures.Count > 0)
        {
            throw new AggregateException(string.Join(" ", failures.Select(f => f.Message)), failures);
        }
    }
}
