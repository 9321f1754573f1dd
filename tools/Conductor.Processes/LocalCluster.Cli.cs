using System.Globalization;
using Conductor.Abstractions.Compute;

namespace Conductor.Processes;

/// <content>The conductor's CLI verbs the cluster runs, and the waits built on them.</content>
internal sealed partial class LocalCluster
{
    /// <summary>Lists the services through the CLI (<c>services list --json</c>).</summary>
    /// <param name="cancellationToken">Kills the command.</param>
    /// <returns>The services.</returns>
    public Task<List<ServiceStatus>> ListServicesAsync(CancellationToken cancellationToken = default) =>
        Cli.RunJsonAsync<List<ServiceStatus>>(["services", "list"], cancellationToken);

    /// <summary>Lists the instances through the CLI (<c>instances list --json</c>).</summary>
    /// <param name="cancellationToken">Kills the command.</param>
    /// <returns>The instances.</returns>
    public Task<List<Instance>> ListInstancesAsync(CancellationToken cancellationToken = default) =>
        Cli.RunJsonAsync<List<Instance>>(["instances", "list"], cancellationToken);

    /// <summary>Creates instances through the CLI (<c>instances create --name NAME --count N --json</c>).</summary>
    /// <param name="name">The name; with more than one, <c>-1</c>, <c>-2</c>, ... are appended.</param>
    /// <param name="count">How many.</param>
    /// <param name="cancellationToken">Kills the command.</param>
    /// <returns>The created instances.</returns>
    public Task<List<Instance>> CreateInstancesAsync(string name, int count, CancellationToken cancellationToken = default) =>
        Cli.RunJsonAsync<List<Instance>>(["instances", "create", "--name", name, "--count", count.ToString(CultureInfo.InvariantCulture)], cancellationToken);

    /// <summary>Waits until the services list shows every named host up and reporting its capacity (so it can be scheduled onto).</summary>
    /// <param name="hostNames">The hosts.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The services list that showed it.</returns>
    public Task<List<ServiceStatus>> WaitForServicesUpAsync(IReadOnlyCollection<string> hostNames, CancellationToken cancellationToken = default) =>
        Poll.UntilAsync(
            $"{string.Join(", ", hostNames)} to be up in the services list",
            StepTimeout,
            s_pollInterval,
            async () =>
            {
                EnsureRunning();
                return await ListServicesAsync(cancellationToken).ConfigureAwait(false);
            },
            services => hostNames.All(h => services.Any(s => s.Service.Host == h && s.IsUp && s.Node is not null)),
            services => services.Count == 0
                ? "no services"
                : string.Join(", ", services.Select(s => $"{s.Service.Host} {(s.IsUp ? "up" : "down")}{(s.Node is null ? " (no capacity report yet)" : "")}")),
            cancellationToken);

    /// <summary>Waits until every given instance is active, failing at once if one goes into the error state.</summary>
    /// <param name="instanceIds">The instances.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The instances list that showed it.</returns>
    public Task<List<Instance>> WaitForInstancesActiveAsync(IReadOnlyCollection<Guid> instanceIds, CancellationToken cancellationToken = default) =>
        Poll.UntilAsync(
            $"{instanceIds.Count} instance(s) to become active",
            StepTimeout,
            s_pollInterval,
            async () =>
            {
                EnsureRunning();
                List<Instance> instances = await ListInstancesAsync(cancellationToken).ConfigureAwait(false);
                if (instances.FirstOrDefault(i => instanceIds.Contains(i.Id) && i.VmState == VmState.Error) is { } failed)
                {
                    throw new InvalidOperationException($"Instance {failed.Name} ({failed.Id}) on {failed.Host} went into the error state.");
                }

                return instances;
            },
            instances => instanceIds.All(id => instances.Any(i => i.Id == id && i.VmState == VmState.Active)),
            instances => string.Join(", ", instances.Where(i => instanceIds.Contains(i.Id)).Select(i => $"{i.Name} on {i.Host}: {i.VmState}/{i.TaskState}")),
            cancellationToken);

    /// <summary>
    /// Waits until every host's latest resource report counts the vCPUs of the given instances placed on it. Hosts
    /// report usage with their heartbeat, so the services list lags the instance list by up to one heartbeat interval.
    /// </summary>
    /// <param name="instances">Active instances.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The services list that showed it.</returns>
    public Task<List<ServiceStatus>> WaitForUsageReportedAsync(IReadOnlyCollection<Instance> instances, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instances);
        Dictionary<string, int> expected = instances.GroupBy(i => i.Host, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(i => i.Flavor.Vcpus), StringComparer.Ordinal);
        return Poll.UntilAsync(
            "every compute host to report the vCPUs its instances use",
            StepTimeout,
            s_pollInterval,
            async () =>
            {
                EnsureRunning();
                return await ListServicesAsync(cancellationToken).ConfigureAwait(false);
            },
            services => expected.All(e => services.Any(s => s.Service.Host == e.Key && s.Node?.VcpusUsed == e.Value)),
            services => string.Join(", ", services.Select(s => $"{s.Service.Host} reports {s.Node?.VcpusUsed.ToString(CultureInfo.InvariantCulture) ?? "nothing"} vCPUs used")),
            cancellationToken);
    }
}
