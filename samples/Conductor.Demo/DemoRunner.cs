using System.Diagnostics;
using System.Globalization;
using Conductor.Abstractions.Compute;
using Conductor.Demo.Processes;

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

    // Short enough to keep the demo quick: a build takes a second, and hosts look for work and report usage every second.
    private static readonly string[] s_computeSettings = ["--Compute:SpawnTime", "00:00:01", "--Compute:PollInterval", "00:00:01", "--Compute:HeartbeatInterval", "00:00:01"];

    /// <summary>Runs every step.</summary>
    /// <param name="cancellationToken">Ctrl+C or SIGTERM: stops the demo, which still cleans up.</param>
    /// <returns>0 if every step happened; 1 if one failed; <see cref="InterruptedExitCode"/> if interrupted.</returns>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        HostBinaries binaries;
        try
        {
            binaries = HostBinaries.Locate();
        }
        catch (FileNotFoundException ex)
        {
            return Fail("find the conductor and compute host binaries", ex);
        }

        LocalCluster cluster = LocalCluster.Create(binaries, log);
        cluster.KeepData = options.KeepData;
        string step = "";
        try
        {
            await using (cluster.ConfigureAwait(false))
            {
                step = $"start the conductor on {cluster.Endpoint}";
                Say($"{step} (data directory {cluster.DataDirectory})");
                await cluster.StartConductorAsync().WaitAsync(cancellationToken).ConfigureAwait(false);

                string[] hostNames = [.. Enumerable.Range(1, options.Hosts).Select(i => string.Create(CultureInfo.InvariantCulture, $"compute-{i}"))];
                step = $"start {hostNames.Length} compute host(s)";
                Say($"{step}: {string.Join(", ", hostNames)}");
                foreach (string host in hostNames)
                {
                    cluster.StartCompute(host, s_computeSettings);
                }

                step = "wait until every compute host is up in the services list";
                Say(step);
                await cluster.WaitForServicesUpAsync(hostNames).WaitAsync(cancellationToken).ConfigureAwait(false);

                step = $"create {options.Instances} instance(s) through the conductor's CLI";
                Say($"{step}: {Command(cluster, "instances create --name demo --count " + options.Instances.ToString(CultureInfo.InvariantCulture))}");
                List<Instance> created = await cluster.CreateInstancesAsync("demo", options.Instances).WaitAsync(cancellationToken).ConfigureAwait(false);

                step = "wait until every instance is active";
                Say(step);
                List<Instance> instances = await cluster.WaitForInstancesActiveAsync([.. created.Select(i => i.Id)]).WaitAsync(cancellationToken).ConfigureAwait(false);

                step = "wait until every compute host reports the instances' usage";
                Say(step);
                await cluster.WaitForUsageReportedAsync([.. instances.Where(i => created.Any(c => c.Id == i.Id))]).WaitAsync(cancellationToken).ConfigureAwait(false);

                step = "print the service list and the instance table";
                await PrintAsync(cluster, "services list").WaitAsync(cancellationToken).ConfigureAwait(false);
                await PrintAsync(cluster, "instances list").WaitAsync(cancellationToken).ConfigureAwait(false);

                step = "stop the compute hosts and the conductor with SIGTERM";
                Say(step);
                await cluster.StopAllAsync().WaitAsync(cancellationToken).ConfigureAwait(false);

                step = options.KeepData ? "keep the data directory" : "delete the data directory";
                Say(options.KeepData ? $"the data directory stays at {cluster.DataDirectory}" : $"{step} {cluster.RootDirectory}");
                int hostsUsed = instances.Where(i => created.Any(c => c.Id == i.Id)).Select(i => i.Host).Distinct(StringComparer.Ordinal).Count();
                step = "finish";
                Say(string.Create(CultureInfo.InvariantCulture, $"done in {clock.Elapsed.TotalSeconds:0.0} s: {created.Count} instance(s) active on {hostsUsed} of {hostNames.Length} compute host(s); every process exited cleanly."));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Say($"interrupted during step '{step}': killed the conductor and compute hosts{(options.KeepData ? $"; the data directory stays at {cluster.DataDirectory}" : " and deleted the data directory")}.");
            return InterruptedExitCode;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Whatever went wrong, the demo has already killed its processes (disposing the cluster) by now.
            return Fail(step, ex);
        }

        if (!options.KeepData && Directory.Exists(cluster.RootDirectory))
        {
            return Fail("delete the data directory", new IOException($"'{cluster.RootDirectory}' is still there."));
        }

        return 0;
    }

    private static string Command(LocalCluster cluster, string verb) =>
        $"dotnet {Path.GetFileName(cluster.Binaries.ConductorHost)} {verb} --endpoint {cluster.Endpoint}";

    private async Task PrintAsync(LocalCluster cluster, string verb)
    {
        Say($"$ {Command(cluster, verb)}");
        CliResult result = (await cluster.Cli.RunAsync(verb.Split(' ')).ConfigureAwait(false)).EnsureSuccess();
        log.WriteRaw(result.StandardOutput);
    }

    private void Say(string message) => log.Write("demo", message);

    private int Fail(string step, Exception ex)
    {
        log.Write("demo", $"FAILED at step '{step}': {ex.Message}");
        return 1;
    }
}
