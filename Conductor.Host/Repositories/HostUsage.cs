using Conductor.Host.Storage.Documents;

namespace Conductor.Host.Repositories;

/// <summary>
/// What the live instances placed on each host use, summed, so that scheduling an instance costs a lookup per
/// candidate host instead of reading every live instance of it.
/// </summary>
/// <remarks>
/// <para>
/// The totals live only in memory: a host's are summed from the database the first time a write needs them, and
/// every write that places an instance on a host or deletes one adjusts them. Only writes change them, and writes are
/// serialized by the group-commit pipeline, so every member is called from the committing thread, inside a write's
/// transaction; nothing here locks.
/// </para>
/// <para>
/// A write's changes stay pending until its transaction commits (<see cref="Commit"/>) and are dropped when it rolls
/// back (<see cref="Discard"/>), so a refused or failed write leaves the totals as the database has them. A host's
/// totals are read from the database only while no pending change touches that host, when what the transaction sees
/// of it is what is committed.
/// </para>
/// </remarks>
internal sealed class HostUsage
{
    private readonly Dictionary<string, Usage> _committed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Usage> _pending = new(StringComparer.Ordinal);
    private readonly Func<string, IEnumerable<InstanceDocument>> _liveInstances;

    /// <summary>Initializes a new instance of the <see cref="HostUsage"/> class.</summary>
    /// <param name="liveInstances">Reads a host's live instances (inside the current transaction).</param>
    public HostUsage(Func<string, IEnumerable<InstanceDocument>> liveInstances) => _liveInstances = liveInstances;

    /// <summary>Gets the totals of a host's live instances, including the current transaction's changes.</summary>
    /// <param name="host">The host.</param>
    /// <returns>The totals.</returns>
    public Usage Of(string host) =>
        _pending.TryGetValue(host, out Usage pending) ? pending : Committed(host);

    /// <summary>Counts an instance placed on a host. Call before the instance is written.</summary>
    /// <param name="instance">The instance.</param>
    public void Place(InstanceDocument instance) => Change(instance.Host, Usage.Of(instance));

    /// <summary>Stops counting an instance that is being deleted. Call before the instance is written.</summary>
    /// <param name="instance">The instance, still live in the database.</param>
    public void Remove(InstanceDocument instance) => Change(instance.Host, -Usage.Of(instance));

    /// <summary>Keeps the current transaction's changes: call right after it commits.</summary>
    public void Commit()
    {
        foreach ((string host, Usage usage) in _pending)
        {
            _committed[host] = usage;
        }

        _pending.Clear();
    }

    /// <summary>Drops the current transaction's changes: call when it rolls back or fails.</summary>
    public void Discard() => _pending.Clear();

    private void Change(string host, Usage delta) => _pending[host] = Of(host) + delta;

    private Usage Committed(string host)
    {
        if (!_committed.TryGetValue(host, out Usage usage))
        {
            usage = default;
            foreach (InstanceDocument instance in _liveInstances(host))
            {
                usage += Usage.Of(instance);
            }

            _committed[host] = usage;
        }

        return usage;
    }
}
