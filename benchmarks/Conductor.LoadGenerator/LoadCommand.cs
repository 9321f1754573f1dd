using System.CommandLine;
using System.CommandLine.Parsing;

namespace Conductor.LoadGenerator;

/// <summary>
/// The load generator's command line. Every option is checked when the command line is parsed, before any conductor is
/// started, so a mistyped value costs an error message instead of a minute of set-up.
/// </summary>
internal static class LoadCommand
{
    /// <summary>The shortest interval a simulated host can keep (<see cref="PeriodicTimer"/> counts in milliseconds).</summary>
    internal static readonly TimeSpan ShortestInterval = TimeSpan.FromMilliseconds(1);

    /// <summary>The hidden command that runs <see cref="FloorServer"/> (started by <see cref="FloorRun"/>, not by people).</summary>
    internal const string FloorServerCommand = "floor-server";

    /// <summary>The floor server's option that makes it durable: the directory for its synced file.</summary>
    internal const string FloorSyncDirectoryOption = "--sync-dir";

    /// <summary>Builds the root command.</summary>
    /// <param name="run">What to do with valid options (the load run, or a test's stand-in).</param>
    /// <returns>The command.</returns>
    public static RootCommand Create(Func<LoadOptions, CancellationToken, Task<int>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var hosts = new Option<int>("--hosts") { Description = "Compute hosts to simulate, each a real connection.", DefaultValueFactory = _ => 1000 };
        var instances = new Option<int>("--instances-per-host") { Description = "Instances per host.", DefaultValueFactory = _ => 1 };
        var interval = new Option<double>("--interval-seconds") { Description = "How often each host heartbeats and updates its instances (at least 0.001).", DefaultValueFactory = _ => 10 };
        var duration = new Option<double>("--duration-seconds") { Description = "How long the measured load runs.", DefaultValueFactory = _ => 60 };
        var settle = new Option<double>("--settle-seconds") { Description = "How long the connected fleet idles before its memory is read.", DefaultValueFactory = _ => 5 };
        var endpoint = new Option<string?>("--endpoint") { Description = "A running conductor (tcp://host:port) instead of starting one; needs --conductor-pid and --admin-credentials." };
        var pid = new Option<int?>("--conductor-pid") { Description = "The running conductor's process id, to read its CPU and memory; only with --endpoint." };
        var adminCredentials = new Option<string?>("--admin-credentials") { Description = "The running conductor's admin credential file (<data>/admin.credential), to issue the hosts' credentials; only with --endpoint." };
        var output = new Option<string?>("--out") { Description = "Also write the report (Markdown) to this file." };
        var withFloor = new Option<bool>("--with-floor") { Description = "First run the same fleet against a bare StreamJsonRpc server (the floor): answering from memory, then with one fsync per update; and report the conductor's CPU against both." };

        hosts.Validators.Add(r => AtLeastOne(r, hosts));
        instances.Validators.Add(r => AtLeastOne(r, instances));
        interval.Validators.Add(r =>
        {
            if (!(r.GetValueOrDefault<double>() >= ShortestInterval.TotalSeconds))
            {
                r.AddError($"{interval.Name} must be at least {ShortestInterval.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}: a host's loop cannot tick faster than once a millisecond.");
            }
        });
        duration.Validators.Add(r =>
        {
            if (!(r.GetValueOrDefault<double>() > 0))
            {
                r.AddError($"{duration.Name} must be more than 0: the load has to run for a while to be measured.");
            }
        });
        settle.Validators.Add(r =>
        {
            if (!(r.GetValueOrDefault<double>() >= 0))
            {
                r.AddError($"{settle.Name} must be 0 or more.");
            }
        });

        var root = new RootCommand("Simulates compute hosts against a real conductor on loopback and reports errors, latency per operation, and the conductor's CPU and memory per connection.")
        {
            hosts, instances, interval, duration, settle, endpoint, pid, adminCredentials, output, withFloor,
        };
        var syncDirectory = new Option<string?>(FloorSyncDirectoryOption) { Description = "Write a page and fsync it in this directory before answering each update." };
        var floorServer = new Command(FloorServerCommand, "Serves the floor's two calls from memory until standard input closes; started by --with-floor.") { Hidden = true };
        floorServer.Options.Add(syncDirectory);
        floorServer.SetAction((parse, _) => FloorServer.RunAsync(parse.GetValue(syncDirectory)));
        root.Subcommands.Add(floorServer);
        root.Validators.Add(r =>
        {
            bool running = r.GetValue(endpoint) is not null;
            if (running && (r.GetValue(pid) is null || r.GetValue(adminCredentials) is null))
            {
                r.AddError($"{endpoint.Name} needs {pid.Name} (to read the conductor's CPU and memory) and {adminCredentials.Name} (to issue the hosts' credentials). Give both, or leave out {endpoint.Name} to start a conductor.");
            }
            else if (!running && (r.GetValue(pid) is not null || r.GetValue(adminCredentials) is not null))
            {
                r.AddError($"{pid.Name} and {adminCredentials.Name} describe a running conductor and only apply with {endpoint.Name}. Give its endpoint too, or leave them out to start a conductor.");
            }
        });
        root.SetAction((parse, cancellationToken) => run(
            new LoadOptions(
                parse.GetValue(hosts),
                parse.GetValue(instances),
                TimeSpan.FromSeconds(parse.GetValue(interval)),
                TimeSpan.FromSeconds(parse.GetValue(duration)),
                TimeSpan.FromSeconds(parse.GetValue(settle)),
                parse.GetValue(endpoint),
                parse.GetValue(pid),
                parse.GetValue(adminCredentials),
                parse.GetValue(output),
                parse.GetValue(withFloor)),
            cancellationToken));
        return root;
    }

    private static void AtLeastOne(OptionResult result, Option<int> option)
    {
        if (result.GetValueOrDefault<int>() < 1)
        {
            result.AddError($"{option.Name} must be at least 1.");
        }
    }
}
