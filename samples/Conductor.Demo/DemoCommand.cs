using System.CommandLine;
using Conductor.Processes;

namespace Conductor.Demo;

/// <summary>The demo's command line: <c>--hosts</c>, <c>--instances</c>, <c>--keep-data</c>, <c>--timeout</c>.</summary>
internal static class DemoCommand
{
    /// <summary>Builds the root command.</summary>
    /// <returns>The command; its action runs the demo.</returns>
    public static RootCommand Create()
    {
        var hosts = new Option<int>("--hosts") { Description = "How many compute host processes to start.", DefaultValueFactory = _ => 2 };
        var instances = new Option<int>("--instances") { Description = "How many instances to create through the conductor's CLI.", DefaultValueFactory = _ => 5 };
        var keepData = new Option<bool>("--keep-data") { Description = "Leave the temporary data directory (the conductor's database) in place and print where it is." };
        var timeout = new Option<int>("--timeout") { Description = "Seconds one step may take before the demo gives up.", DefaultValueFactory = _ => 60 };
        hosts.Validators.Add(r => AtLeastOne(r, hosts));
        instances.Validators.Add(r => AtLeastOne(r, instances));
        timeout.Validators.Add(r => AtLeastOne(r, timeout));

        var root = new RootCommand(
            "Runs a conductor on a fresh embedded database and compute hosts as separate processes, creates instances "
            + "through the conductor's CLI, waits until every one is active, prints the service list and the instance "
            + "table, and stops everything. Exits 0 only if all of that happened.")
        {
            hosts, instances, keepData, timeout,
        };
        root.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = new DemoOptions(
                parseResult.GetValue(hosts),
                parseResult.GetValue(instances),
                parseResult.GetValue(keepData),
                TimeSpan.FromSeconds(parseResult.GetValue(timeout)));
            var log = new ProcessLog(Console.Out);
            return await new DemoRunner(options, log).RunAsync(cancellationToken).ConfigureAwait(false);
        });
        return root;
    }

    private static void AtLeastOne(System.CommandLine.Parsing.OptionResult result, Option<int> option)
    {
        if (result.GetValueOrDefault<int>() < 1)
        {
            result.AddError($"{option.Name} must be at least 1.");
        }
    }
}
