using Conductor.Abstractions;
using Conductor.Abstractions.Compute;

namespace Compute.Host.Lifecycle;

/// <content>
/// Reaping (Nova's <c>_cleanup_running_deleted_instances</c>): the hypervisor may run an instance the conductor has
/// deleted or placed elsewhere (a lost reply, a restored database). Each reap reads the running instances' records in
/// one call per thousand (<c>instances.GetMany</c>, added in 1.1) and destroys the ones the conductor does not have live
/// on this host. Against a conductor that serves instances 1.0 it reads them one by one, as 1.0 allows.
/// </content>
internal sealed partial class InstanceManager
{
    /// <summary>Destroys the running instances the conductor has deleted or does not have on this host.</summary>
    /// <param name="cancellationToken">Stops the reap.</param>
    /// <returns>The number of instances destroyed.</returns>
    /// <exception cref="ConductorUnavailableException">The conductor did not answer.</exception>
    public async Task<int> ReapOnceAsync(CancellationToken cancellationToken)
    {
        List<Guid> running = _driver.GetRunningInstances().Select(i => i.Id).Where(id => !_inFlight.ContainsKey(id)).ToList();
        if (running.Count == 0)
        {
            return 0;
        }

        Dictionary<Guid, Instance> records = await ReadRecordsAsync(running, cancellationToken);
        int reaped = 0;
        foreach (Guid id in running)
        {
            bool live = records.TryGetValue(id, out Instance? record) && record.VmState != VmState.Deleted;
            if (live || !_inFlight.TryAdd(id, 0))
            {
                continue;
            }

            try
            {
                await _driver.DestroyAsync(id, cancellationToken);
                reaped++;
                LogReaped(_logger, id, record is null ? "not on this host" : "deleted");
            }
            finally
            {
                _inFlight.TryRemove(id, out _);
            }
        }

        return reaped;
    }

    private async Task<Dictionary<Guid, Instance>> ReadRecordsAsync(List<Guid> ids, CancellationToken cancellationToken)
    {
        var records = new Dictionary<Guid, Instance>();
        foreach (Guid[] chunk in ids.Chunk(PageRequest.MaxLimit))
        {
            IReadOnlyList<Instance> found;
            try
            {
                found = await _retry.InvokeAsync("read running instances", c => _instances.GetManyAsync(chunk, c), _retry.LifecycleAttempts, cancellationToken);
            }
            catch (VersionNotSupportedException ex)
            {
                // Raised by the proxy before sending: the conductor is older than this host. No round trip was wasted.
                LogGetManyUnavailable(_logger, ex.Message);
                found = await ReadOneByOneAsync(chunk, cancellationToken);
            }

            foreach (Instance instance in found)
            {
                records[instance.Id] = instance;
            }
        }

        return records;
    }

    private async Task<List<Instance>> ReadOneByOneAsync(Guid[] ids, CancellationToken cancellationToken)
    {
        var found = new List<Instance>(ids.Length);
        foreach (Guid id in ids)
        {
            try
            {
                found.Add(await _retry.InvokeAsync("read running instance", c => _instances.GetAsync(id, c), _retry.LifecycleAttempts, cancellationToken));
            }
            catch (NotFoundException)
            {
                // Not this host's, or gone: left out, like GetMany does.
            }
        }

        return found;
    }
}
