using System.Diagnostics;
using Conductor.Processes;

namespace Conductor.LoadGenerator;

/// <summary>
/// The conductor under load: a real <c>Conductor.Host serve</c> process on a temporary data directory and a free
/// loopback port, started by <see cref="LocalCluster"/> (or one already running), read for CPU time and resident memory.
/// </summary>
internal sealed class ConductorProcess : IAsyncDisposable
{
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(30);

    private readonly LocalCluster? _cluster;

    private ConductorProcess(Process process, string endpoint, LocalCluster? cluster)
    {
        Process = process;
        Endpoint = endpoint;
        _cluster = cluster;
    }

    /// <summary>Gets the conductor's process.</summary>
    public Process Process { get; }

    /// <summary>Gets the conductor's endpoint.</summary>
    public string Endpoint { get; }

    /// <summary>Gets the admin credential file the conductor wrote at first start (or the one given for a running conductor).</summary>
    public required string AdminCredentialsFile { get; init; }

    /// <summary>Gets the process's total CPU time so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            Process.Refresh();
            return Process.TotalProcessorTime;
        }
    }

    /// <summary>Gets the process's resident memory, in bytes.</summary>
    public long ResidentBytes
    {
        get
        {
            Process.Refresh();
            return Process.WorkingSet64;
        }
    }

    /// <summary>Starts the conductor this build made, or attaches to a running one.</summary>
    /// <param name="options">The options.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The conductor.</returns>
    public static async Task<ConductorProcess> StartAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        if (options.Endpoint is { } endpoint)
        {
            Process running = Process.GetProcessById(options.ConductorProcessId
                ?? throw new ArgumentException("Give --conductor-pid with --endpoint, so that the conductor's CPU and memory can be read."));
            return new ConductorProcess(running, endpoint, cluster: null)
            {
                AdminCredentialsFile = options.AdminCredentialsFile
                    ?? throw new ArgumentException("Give --admin-credentials with --endpoint (the conductor's <data>/admin.credential), so that the hosts' credentials can be issued."),
            };
        }

        // The conductor's log stays in memory (a conductor that fails to start is reported with its last lines); what
        // it writes to standard error is shown when it stops.
        LocalCluster cluster = LocalCluster.Create(
            HostBinaries.Locate(),
            new ProcessLog(echo: null),
            Path.Combine(Path.GetTempPath(), "conductor-load", Guid.NewGuid().ToString("N")));
        try
        {
            cluster.ConductorArguments.Add("--Logging:LogLevel:Default");
            cluster.ConductorArguments.Add("Warning");
            ChildProcess conductor = await cluster.StartConductorAsync(cancellationToken).ConfigureAwait(false);
            return new ConductorProcess(Process.GetProcessById(conductor.Id), cluster.Endpoint, cluster)
            {
                AdminCredentialsFile = Path.Combine(cluster.DataDirectory, "admin.credential"),
            };
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops a conductor this program started (SIGTERM, then kill after a bound) and deletes its data.</summary>
    /// <returns>A task that completes when it has exited.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            if (_cluster.Conductor is { HasExited: false } conductor)
            {
                try
                {
                    // A graceful stop: the conductor drains, syncs and releases its lock on SIGTERM.
                    await conductor.StopAsync(s_stopTimeout).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // Killed after the bound.
                }
            }

            if (_cluster.Conductor is { StandardError.Length: > 0 } stopped)
            {
                await Console.Error.WriteLineAsync("conductor: " + stopped.StandardError.ReplaceLineEndings(Environment.NewLine + "conductor: ")).ConfigureAwait(false);
            }

            await _cluster.DisposeAsync().ConfigureAwait(false);
        }

        Process.Dispose();
    }
}
