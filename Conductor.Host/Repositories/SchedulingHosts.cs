using System.Collections.Concurrent;
using Conductor.Host.Storage.Documents;

namespace Conductor.Host.Repositories;

/// <summary>
/// Every host's service and compute node records as the scheduler needs them, kept in memory so that placing an
/// instance does not read two records per host of the fleet while every other write waits behind it.
/// </summary>
/// <remarks>
/// Loaded once when the database opens (before anything is served), then kept up to date by the only writes that
/// change these records: a service's registration and stored heartbeat, and a node's report. Like
/// <see cref="HostUsage"/>, it is used only by writes, which the group-commit pipeline serializes, so nothing here
/// locks; a write's records stay pending until its transaction commits and are dropped if it rolls back. The records
/// held are the ones the writes stored and are never changed afterwards (a write changes a copy:
/// <see cref="FindServiceForWrite"/>). The one exception to "writes only":
/// <see cref="TryGetService"/>, which a heartbeat calls from any thread, reads the committed service records only.
/// </remarks>
internal sealed class SchedulingHosts
{
    private readonly ConcurrentDictionary<string, ServiceDocument> _services = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ComputeNodeDocument> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ServiceDocument> _pendingServices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ComputeNodeDocument> _pendingNodes = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="SchedulingHosts"/> class from the stored records.</summary>
    /// <param name="services">Every service record.</param>
    /// <param name="nodes">Every compute node record.</param>
    public SchedulingHosts(IEnumerable<ServiceDocument> services, IEnumerable<ComputeNodeDocument> nodes)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(nodes);
        foreach (ServiceDocument service in services)
        {
            _services[service.Id] = service;
        }

        foreach (ComputeNodeDocument node in nodes)
        {
            _nodes[node.Id] = node;
        }
    }

    /// <summary>Gets every host with a service record, with its compute node record if it has reported one.</summary>
    /// <returns>The hosts, in no particular order.</returns>
    public IEnumerable<(ServiceDocument Service, ComputeNodeDocument? Node)> All()
    {
        foreach ((string host, ServiceDocument service) in _services)
        {
            if (!_pendingServices.ContainsKey(host))
            {
                yield return (service, NodeOf(host));
            }
        }

        foreach ((string host, ServiceDocument service) in _pendingServices)
        {
            yield return (service, NodeOf(host));
        }
    }

    /// <summary>
    /// Gets a host's committed service record, from any thread: what LiteDB would return for it, without a query and
    /// the document's deserialization (a heartbeat's only read).
    /// </summary>
    /// <param name="host">The host name.</param>
    /// <param name="service">The record, which the caller must not change.</param>
    /// <returns>Whether the host has registered.</returns>
    public bool TryGetService(string host, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ServiceDocument? service) =>
        _services.TryGetValue(host, out service);

    /// <summary>
    /// Gets a copy of a host's service record as the current transaction sees it (its own pending record, else the
    /// committed one), for a write to change and store: what <c>FindById</c> would return, without the query. Writes only.
    /// </summary>
    /// <param name="host">The host name.</param>
    /// <returns>The copy, or <see langword="null"/> if the host has not registered.</returns>
    public ServiceDocument? FindServiceForWrite(string host) =>
        (_pendingServices.TryGetValue(host, out ServiceDocument? pending) ? pending : _services.GetValueOrDefault(host))?.Copy();

    /// <summary>Records a service record the current transaction stored (and will not change again).</summary>
    /// <param name="service">The record.</param>
    public void Stored(ServiceDocument service) => _pendingServices[service.Id] = service;

    /// <summary>Records a compute node record the current transaction stored (and will not change again).</summary>
    /// <param name="node">The record.</param>
    public void Stored(ComputeNodeDocument node) => _pendingNodes[node.Id] = node;

    /// <summary>Keeps the current transaction's records: call right after it commits.</summary>
    public void Commit()
    {
        foreach ((string host, ServiceDocument service) in _pendingServices)
        {
            _services[host] = service;
        }

        foreach ((string host, ComputeNodeDocument node) in _pendingNodes)
        {
            _nodes[host] = node;
        }

        Discard();
    }

    /// <summary>Drops the current transaction's records: call when it rolls back or fails.</summary>
    public void Discard()
    {
        _pendingServices.Clear();
        _pendingNodes.Clear();
    }

    private ComputeNodeDocument? NodeOf(string host) =>
        _pendingNodes.TryGetValue(host, out ComputeNodeDocument? pending) ? pending : _nodes.GetValueOrDefault(host);
}
