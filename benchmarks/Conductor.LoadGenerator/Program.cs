using System.CommandLine;

namespace Conductor.LoadGenerator;

/// <summary>The load generator's command line.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var hosts = new Option<int>("--hosts") { Description = "Compute hosts to simulate, each a real connection.", DefaultValueFactory = _ => 1000 };
        var instances = new Option<int>("--instances-per-host") { Description = "Instances per host.", DefaultValueFactory = _ => 1 };
        var interval = new Option<double>("--interval-seconds") { Description = "How often each host heartbeats and updates its instances.", DefaultValueFactory = _ => 10 };
        var duration = new Option<double>("--duration-seconds") { Description = "How long the measured load runs.", DefaultValueFactory = _ => 60 };
        var settle = new Option<double>("--settle-seconds") { Description = "How long the connected fleet idles before its memory is read.", DefaultValueFactory = _ => 5 };
        var endpoint = new Option<string?>("--endpoint") { Description = "A running conductor (tcp://host:port) instead of starting one; needs --conductor-pid." };
        var pid = new Option<int?>("--conductor-pid") { Description = "The running conductor's process id, to read its CPU and memory." };
        var adminCredentials = new Option<string?>("--admin-credentials") { Description = "The running conductor's admin credential file (<data>/admin.credential), to issue the hosts' credentials; only with --endpoint." };
        var output = new Option<string?>("--out") { Description = "Also write the report (Markdown) to this file." };
        var root = new RootCommand("Simulates compute hosts against a real conductor on loopback and reports errors, latency per operation, and the conductor's CPU and memory per connection.")
        {
            hosts, instances, interval, duration, settle, endpoint, pid, adminCredentials, output,
        };
        root.SetAction((parse, cancellationToken) => LoadRun.RunAsync(
            new LoadOptions(
                parse.GetValue(hosts),
                parse.GetValue(instances),
                TimeSpan.FromSeconds(parse.GetValue(interval)),
                TimeSpan.FromSeconds(parse.GetValue(duration)),
                TimeSpan.FromSeconds(parse.GetValue(settle)),
                parse.GetValue(endpoint),
                parse.GetValue(pid),
                parse.GetValue(adminCredentials),
                parse.GetValue(output)),
            cancellationToken));
        return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
    }
}
