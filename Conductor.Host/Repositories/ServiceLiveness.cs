using System.Collections.Concurrent;
using Conductor.Abstractions.Compute;
using Conductor.Host.Storage.Documents;

namespace Conductor.Host.Repositories;

/// <summary>
/// The latest heartbeat of every host, kept in memory. A heartbeat updates it at once, and the service record in the
/// database only when the stored stamp is <see cref="PersistInterval"/> old (or the host's versions changed), so a
/// fleet heartbeating every 10 s writes a service record about every 20 s per host instead of on every beat.
/// Everything that reads a heartbeat (the services list, the scheduler, a host's own record) reads the later of the
/// two.
/// </summary>
/// <remarks>
/// This is how Nova's service group drivers other than the database one (memcache, ZooKeeper) treat liveness: it is
/// rewritten every interval, so only its recency matters. After a conductor restart the stored stamps are at most
/// <see cref="PersistInterval"/> behind the last heartbeat, and every host's next heartbeat (within its interval)
/// brings the view up to date; with the default <c>ServiceDownAfter</c> of 60 s no host reads as down for it.
/// </remarks>
internal sealed class ServiceLiveness
{
    /// <summary>How old the stored stamp may get before a heartbeat writes the service record again.</summary>
    internal static readonly TimeSpan PersistInterval = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<string, DateTime> _lastSeen = new(StringComparer.Ordinal);

    /// <summary>Records a heartbeat (or registration) of a host.</summary>
    /// <param name="host">The host.</param>
    /// <param name="utc">When.</param>
    public void Observe(string host, DateTime utc) =>
        _lastSeen.AddOrUpdate(host, static (_, seen) => seen, static (_, old, seen) => seen > old ? seen : old, utc);

    /// <summary>Returns the host's latest heartbeat: the later of the stored stamp and the one in memory.</summary>
    /// <param name="service">The stored service record.</param>
    /// <returns>The latest heartbeat, in UTC.</returns>
    public DateTime LastHeartbeat(ServiceDocument service)
    {
        ArgumentNullException.ThrowIfNull(service);
        DateTime stored = DateTime.SpecifyKind(service.LastHeartbeatAtUtc, DateTimeKind.Utc);
        return _lastSeen.TryGetValue(service.Id, out DateTime seen) && seen > stored ? seen : stored;
    }

    /// <summary>Maps a stored service record to the DTO, with its latest heartbeat.</summary>
    /// <param name="service">The stored service record.</param>
    /// <returns>The record.</returns>
    public ServiceRecord ToRecord(ServiceDocument service) => service.ToRecord() with { LastHeartbeatAtUtc = LastHeartbeat(service) };
}
