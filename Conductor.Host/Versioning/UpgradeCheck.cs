using Conductor.Abstractions;
using Conductor.Abstractions.Compute;

namespace Conductor.Host.Versioning;

/// <summary>
/// Nova's <c>nova-status upgrade check</c> for the compute fleet: from the versions each service record carries, finds
/// the hosts that this conductor release or the next one would refuse, and the oldest version in the fleet per API.
/// </summary>
internal static class UpgradeCheck
{
    /// <summary>Checks the fleet.</summary>
    /// <param name="services">Every service record, with liveness.</param>
    /// <param name="apis">The compute APIs of this conductor release, with their minimums now and in the next release.</param>
    /// <returns>The verdict per host and for the fleet.</returns>
    public static UpgradeCheckResult Run(IReadOnlyList<ServiceStatus> services, IReadOnlyList<ConductorApiDescriptor> apis)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(apis);
        var fleetMinimum = new SortedDictionary<string, ApiVersion>(StringComparer.Ordinal);
        var hosts = new List<HostVerdict>();
        foreach (ServiceStatus status in services)
        {
            IReadOnlyDictionary<string, string>? recorded = status.Service.ApiVersions;
            if (recorded is null || recorded.Count == 0)
            {
                hosts.Add(new HostVerdict(status.Service.Host, status.IsUp, recorded, UpgradeOutcome.Warning,
                    ["its API versions are unknown: it registered before the conductor recorded them, and records them at its next registration or heartbeat"]));
                continue;
            }

            var problems = new List<string>();
            UpgradeOutcome outcome = UpgradeOutcome.Ok;
            foreach (ConductorApiDescriptor api in apis)
            {
                if (!recorded.TryGetValue(api.Name, out string? text) || !ApiVersion.TryParse(text, out ApiVersion version))
                {
                    problems.Add($"it does not speak {api.Name}");
                    outcome = UpgradeOutcome.Failure;
                    continue;
                }

                fleetMinimum[api.Name] = fleetMinimum.TryGetValue(api.Name, out ApiVersion lowest) && lowest < version ? lowest : version;
                if (version.Major != api.Version.Major || version < api.MinimumVersion)
                {
                    problems.Add($"{api.Name} {version} is refused by this conductor release (it accepts {api.MinimumVersion} to {api.Version})");
                    outcome = UpgradeOutcome.Failure;
                }
                else if (version < api.NextReleaseMinimumVersion)
                {
                    problems.Add($"{api.Name} {version} will be refused by the next conductor release (it needs {api.NextReleaseMinimumVersion} or newer)");
                    outcome = UpgradeOutcome.Failure;
                }
            }

            hosts.Add(new HostVerdict(status.Service.Host, status.IsUp, recorded, outcome, problems));
        }

        UpgradeOutcome overall = hosts.Count == 0 ? UpgradeOutcome.Ok : hosts.Max(h => h.Outcome);
        return new UpgradeCheckResult(
            hosts,
            fleetMinimum.ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal),
            apis.OrderBy(a => a.Name, StringComparer.Ordinal).ToDictionary(a => a.Name, a => a.NextReleaseMinimumVersion.ToString(), StringComparer.Ordinal),
            overall);
    }
}
