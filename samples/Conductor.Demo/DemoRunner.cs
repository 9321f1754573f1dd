using System.Diagnostics;
using System.Globalization;
using Conductor.Abstractions.Compute;
using Conductor.Processes;

namespace Conductor.Demo;

/// <summary>
/// The demo's steps, in order: start a conductor and compute hosts as separate processes, wait until the hosts are up,
/// create instances through the conductor's CLI, wait until every one is active, print the service list and the
/// instance table, stop every process with SIGTERM and check each exited cleanly, delete the data directory.
/// </summary>
/// <param name="options">What to run.</param>
/// <param name="log">Where the demo's and the processes' lines go.</param>
internal sealed class DemoRunner(DemoOptions options, ProcessLog log)
{
    /// <summary>The exit code of a demo that Ctrl+C or SIGTERM stopped (128 + SIGINT, as shells report it).</summary>
    public const int InterruptedExitCode = 130;

    // How long an interrupted demo lets its processes stop by themselves before it kills them.
    private static readonly TimeSpan s_interruptedStopGrace = TimeSpan.FromSeconds(10);

    // Short enough to keep the demo quick: a build takes a second, and hosts look for work and report usage every second.
    private static readonly string[] s_computeSettings = ["--Compute:SpawnTime", "00:00:01", "--Compute:PollInterval", "00:00:01", "--Compute:HeartbeatInterval", "00:00:01"];

    private string _step = "find the conductor and compute host binaries";

    /// <summary>Runs every step.</summary>
    /// <param name="cancellationToken">Ctrl+C or SIGTERM: stops the demo, which still stops its processes and cleans up.</param>
    /// <returns>0 if every step happened; 1 if one failed; <see cref="InterruptedExitCode"/> if interrupted.</returns>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        LocalCluster cluster;
        try
        {
            cluster = LocalCluster.Create(HostBinaries.Locate(), log);
        }
        catch (FileNotFoundException ex)
        {
            return Fail(ex);
        }

        cluster.KeepData = options.KeepData;
        cluster.StepTimeout = options.StepTimeout;
        try
        {
            // Disposing the cluster kills whatever still runs and deletes the data directory, whatever happened.
            await using (cluster.ConfigureAwait(false))
            {
                try
                {
                    await RunStepsAsync(cluster, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    Say($"interrupted during step '{_step}': stopping the conductor and compute hosts.");
                    await StopAfterInterruptAsync(cluster).ConfigureAwait(false);
                    throw;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Say(options.KeepData ? $"stopped; the data directory stays at {cluster.DataDirectory}." : $"stopped, and deleted {cluster.RootDirectory}.");
            return InterruptedExitCode;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Every process has been killed by now (disposing the cluster) and the data directory deleted.
            return Fail(ex);
        }

        if (!options.KeepData && Directory.Exists(cluster.RootDirectory))
        {
            _step = "delete the data directory";
            return Fail(new IOException($"'{cluster.RootDirectory}' is still there."));
        }

        Say(string.Create(CultureInfo.InvariantCulture, $"done in {clock.Elapsed.TotalSeconds:0.0} s."));
        return 0;
    }

    private static string Command(LocalCluster cluster, string verb) =>
        $"dotnet {Path.GetFileName(cluster.Binaries.ConductorHost)} {verb} --endpoint {cluster.Endpoint} --data-dir {cluster.DataDirectory}";

    private static async Task StopAfterInterruptAsync(LocalCluster cluster)
    {
        using var grace = new CancellationTokenSource(s_interruptedStopGrace);
        try
        {
            await cluster.StopAllAsync(grace.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AggregateException or OperationCanceledException)
        {
            // Ctrl+C in a terminal reaches the processes too, and how they exit does not matter any more: disposing
            // the cluster next kills whatever is left.
        }
    }

    private async Task RunStepsAsync(LocalCluster cluster, CancellationToken cancellationToken)
    {
        Step($"start the conductor on {cluster.Endpoint}", $" (data directory {cluster.DataDirectory})");
        await cluster.StartConductorAsync(cancellationToken).ConfigureAwait(false);

        string[] hostNames = [.. Enumerable.Range(1, options.Hosts).Select(i => string.Create(CultureInfo.InvariantCulture, $"compute-{i}"))];
        Step(
            $"issue each compute host's credential through the conductor's CLI",
            $": {Command(cluster, $"hosts add {hostNames[0]} --out {Path.GetFileName(cluster.CredentialFile(hostNames[0]))}")}{(hostNames.Length > 1 ? ", ..." : string.Empty)} (the CLI uses the admin credential the conductor wrote to {Path.Combine(cluster.DataDirectory, "admin.credential")})");
        foreach (string host in hostNames)
        {
            await cluster.IssueCredentialAsync(host, cancellationToken).ConfigureAwait(false);
        }

        Step($"start {hostNames.Length} compute host(s)", $": {string.Join(", ", hostNames)}, each with --Conductor:CredentialsFile <its credential>");
        foreach (string host in hostNames)
        {
            await cluster.StartComputeAsync(host, s_computeSettings, cancellationToken).ConfigureAwait(false);
        }

        Step("wait until every compute host is up in the services list");
        await cluster.WaitForServicesUpAsync(hostNames, cancellationToken).ConfigureAwait(false);

        string count = options.Instances.ToString(CultureInfo.InvariantCulture);
        Step($"create {count} instance(s) through the conductor's CLI", $": {Command(cluster, "instances create --name demo --count " + count)}");
        List<Instance> created = await cluster.CreateInstancesAsync("demo", options.Instances, cancellationToken).ConfigureAwait(false);

        Step("wait until every instance is active");
        HashSet<Guid> ids = [.. created.Select(i => i.Id)];
        List<Instance> active = [.. (await cluster.WaitForInstancesActiveAsync(ids, cancellationToken).ConfigureAwait(false)).Where(i => ids.Contains(i.Id))];

        Step("wait until every compute host reports the instances' usage");
        await cluster.WaitForUsageReportedAsync(active, cancellationToken).ConfigureAwait(false);

        Step("print the service list and the instance table");
        await PrintAsync(cluster, "services list", cancellationToken).ConfigureAwait(false);
        await PrintAsync(cluster, "instances list", cancellationToken).ConfigureAwait(false);

        Step("stop the compute hosts and the conductor with SIGTERM");
        await cluster.StopAllAsync(cancellationToken).ConfigureAwait(false);
        int hostsUsed = active.Select(i => i.Host).Distinct(StringComparer.Ordinal).Count();
        Say(string.Create(CultureInfo.InvariantCulture, $"{active.Count} instance(s) were active on {hostsUsed} of {hostNames.Length} compute host(s); every process exited cleanly."));

        Step(options.KeepData ? "keep the data directory" : "delete the data directory", $" {(options.KeepData ? cluster.DataDirectory : cluster.RootDirectory)}");
    }

    private async Task PrintAsync(LocalCluster cluster, string verb, CancellationToken cancellationToken)
    {
        Say($"$ {Command(cluster, verb)}");
        CliResult result = (await cluster.Cli.RunAsync(verb.Split(' '), cancellationToken).ConfigureAwait(false)).EnsureSuccess();
        log.WriteRaw(result.StandardOutput);
    }

    private void Step(string step, string detail = "")
    {
        _step = step;
        Say(step + detail);
    }

    private void Say(string message) => log.Write("demo", message);

    private int Fail(Exception ex)
    {
        log.Write("demo", $"FAILED at step '{_step}': {ex.Message}");
        return 1;
    }
}
