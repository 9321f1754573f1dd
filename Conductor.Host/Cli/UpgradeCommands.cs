using System.CommandLine;
using Conductor.Abstractions;
using Conductor.Abstractions.Admin;
using Conductor.Abstractions.Compute;
using Conductor.Host.Versioning;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.Host.Cli;

/// <summary>The <c>upgrade check</c> verb (Nova's <c>nova-status upgrade check</c>).</summary>
internal static class UpgradeCommands
{
    /// <summary>The exit code when the conductor could not be asked.</summary>
    public const int ErrorExitCode = 255;

    public static Command Create()
    {
        var upgrade = new Command("upgrade", "Check the compute fleet before upgrading the conductor.");
        ClientOptions.AddTo(upgrade);
        var check = new Command(
            "check",
            "List the compute hosts that this conductor release or the next one would refuse, and the oldest API version in the fleet. " +
            "Exit code 0: every host survives the next release; 1: some hosts' versions are unknown; 2: some hosts must be upgraded first; 255: the conductor could not be asked.");
        check.SetAction(async (parseResult, cancellationToken) =>
        {
            await using ServiceProvider client = ClientOptions.CreateAdminClient(parseResult);
            IReadOnlyList<ServiceStatus> services;
            try
            {
                services = await client.GetRequiredService<IServiceAdminRepository>().ListAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (ConductorException ex)
            {
                CliOutput.Error(ex);
                return ErrorExitCode;
            }

            UpgradeCheckResult result = UpgradeCheck.Run(services, BuiltInApis.Compute.Select(ConductorApiDescriptor.Create).ToList());
            if (parseResult.GetValue(ClientOptions.Json))
            {
                CliOutput.Json(result);
            }
            else
            {
                Print(result);
            }

            return (int)result.Outcome;
        });
        upgrade.Subcommands.Add(check);
        return upgrade;
    }

    private static void Print(UpgradeCheckResult result)
    {
        foreach (HostVerdict host in result.Hosts)
        {
            string versions = host.ApiVersions is null ? "unknown" : string.Join(", ", host.ApiVersions.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}"));
            string verdict = host.Outcome switch
            {
                UpgradeOutcome.Ok => "ok",
                UpgradeOutcome.Warning => "warning: " + string.Join("; ", host.Problems),
                _ => "upgrade this host first: " + string.Join("; ", host.Problems),
            };
            Console.Out.WriteLine($"{host.Host} ({(host.IsUp ? "up" : "down")}): {versions}: {verdict}");
        }

        Console.Out.WriteLine("Oldest version in the fleet: " + Pairs(result.FleetMinimum));
        Console.Out.WriteLine("The next conductor release accepts at least: " + Pairs(result.NextReleaseMinimum));
        Console.Out.WriteLine(result.Outcome switch
        {
            UpgradeOutcome.Ok => "Upgrade check: OK. Every compute host survives the next conductor release.",
            UpgradeOutcome.Warning => "Upgrade check: WARNING. Some hosts' versions are unknown; let them register or heartbeat once, then check again.",
            _ => "Upgrade check: FAILED. Upgrade the hosts listed above before upgrading the conductor to its next release.",
        });
    }

    private static string Pairs(IReadOnlyDictionary<string, string> versions) =>
        versions.Count == 0 ? "none known" : string.Join(", ", versions.Select(p => $"{p.Key} {p.Value}"));
}
