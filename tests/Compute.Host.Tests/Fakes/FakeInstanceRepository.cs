using Conductor.Abstractions;
using Conductor.Abstractions.Compute;

namespace Compute.Host.Tests.Fakes;

/// <summary>
/// An in-memory <see cref="IInstanceRepository"/> with the conductor's semantics: keyset pages in identifier order,
/// compare-and-swap on the expected task state, only non-null fields applied, and retries recognised by request id.
/// </summary>
internal sealed class FakeInstanceRepository(TimeProvider timeProvider) : IInstanceRepository
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<Guid, Instance> _instances = [];
    private readonly Dictionary<Guid, Instance> _applied = [];
    private readonly List<IWriteRequest> _writes = [];

    /// <summary>Gets or sets a hook that runs before every update or deletion is applied; it may throw or change state.</summary>
    public Action<IWriteRequest>? BeforeWrite { get; set; }

    public int ListCalls { get; private set; }

    public int GetManyCalls { get; private set; }

    public int GetCalls { get; private set; }

    /// <summary>Gets or sets whether GetMany is available; when not, it fails as the proxy does against an instances 1.0 conductor.</summary>
    public bool ServesGetMany { get; set; } = true;

    public IReadOnlyList<IWriteRequest> Writes
    {
        get
        {
            lock (_gate)
            {
                return [.. _writes];
            }
        }
    }

    public Instance Add(string name, VmState vmState, TaskState taskState, Flavor? flavor = null)
    {
        DateTime now = timeProvider.GetUtcNow().UtcDateTime;
        var instance = new Instance
        {
            Id = Guid.NewGuid(),
            Name = name,
            Host = "compute-1",
            Flavor = flavor ?? new Flavor { Vcpus = 2, MemoryMb = 2048, DiskGb = 20 },
            VmState = vmState,
            TaskState = taskState,
            CreatedAtUtc = now,
            UpdatedAtUtc = now,
            Revision = 1,
        };
        lock (_gate)
        {
            _instances.Add(instance.Id, instance);
        }

        return instance;
    }

    /// <summary>Changes an instance as another writer (an operator, the scheduler) would.</summary>
    public void Mutate(Guid instanceId, Func<Instance, Instance> change)
    {
        lock (_gate)
        {
            Instance current = _instances[instanceId];
            _instances[instanceId] = change(current) with { Revision = current.Revision + 1 };
        }
    }

    public Instance Snapshot(Guid instanceId)
    {
        lock (_gate)
        {
            return _instances[instanceId];
        }
    }

    /// <summary>Forgets an instance, as the conductor does for one that is not on this host.</summary>
    public void Remove(Guid instanceId)
    {
        lock (_gate)
        {
            _instances.Remove(instanceId);
        }
    }

    public Task<IReadOnlyList<Instance>> GetManyAsync(IReadOnlyList<Guid> instanceIds, CancellationToken cancellationToken)
    {
        if (!ServesGetMany)
        {
            return Task.FromException<IReadOnlyList<Instance>>(new VersionNotSupportedException("instances.GetMany needs instances 1.1, but the connection to the conductor at fake speaks instances 1.0: upgrade the conductor first, or call only members of instances 1.0."));
        }

        lock (_gate)
        {
            GetManyCalls++;
            IReadOnlyList<Instance> found = [.. instanceIds.Distinct().Where(_instances.ContainsKey).Select(id => _instances[id])];
            return Task.FromResult(found);
        }
    }

    public Task<Instance> GetAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            GetCalls++;
            return _instances.TryGetValue(instanceId, out Instance? instance) ? Task.FromResult(instance) : Task.FromException<Instance>(NotFound(instanceId));
        }
    }

    public Task<Page<Instance>> ListAsync(PageRequest page, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ListCalls++;
            Guid after = page.After is null ? Guid.Empty : Guid.Parse(page.After);
            List<Instance> remaining = [.. _instances.Values.Where(i => (page.After is null || i.Id.CompareTo(after) > 0) && (page.IncludeDeleted || i.DeletedAtUtc is null))];
            List<Instance> items = [.. remaining.Take(page.Limit)];
            string? next = remaining.Count > items.Count ? items[^1].Id.ToString() : null;
            return Task.FromResult(new Page<Instance> { Items = items, NextPageToken = next });
        }
    }

    public Task<Instance> UpdateAsync(InstanceUpdate update, CancellationToken cancellationToken) =>
        WriteAsync(update, update.InstanceId, update.ExpectedTaskState, i => i with
        {
            VmState = update.VmState ?? i.VmState,
            TaskState = update.TaskState ?? i.TaskState,
            PowerState = update.PowerState ?? i.PowerState,
            LaunchedAtUtc = update.LaunchedAtUtc ?? i.LaunchedAtUtc,
        });

    public Task<Instance> MarkDeletedAsync(InstanceDeletion deletion, CancellationToken cancellationToken) =>
        WriteAsync(deletion, deletion.InstanceId, deletion.ExpectedTaskState, i => i with
        {
            VmState = VmState.Deleted,
            TaskState = TaskState.None,
            PowerState = PowerState.NoState,
            DeletedAtUtc = timeProvider.GetUtcNow().UtcDateTime,
        });

    private static NotFoundException NotFound(Guid instanceId) => new($"Instance {instanceId} was not found on this host.");

    private Task<Instance> WriteAsync(IWriteRequest request, Guid instanceId, TaskState expected, Func<Instance, Instance> change)
    {
        lock (_gate)
        {
            _writes.Add(request);
        }

        BeforeWrite?.Invoke(request);
        lock (_gate)
        {
            if (_applied.TryGetValue(request.RequestId, out Instance? earlier))
            {
                return Task.FromResult(earlier);
            }

            if (!_instances.TryGetValue(instanceId, out Instance? current) || current.DeletedAtUtc is not null)
            {
                return Task.FromException<Instance>(NotFound(instanceId));
            }

            if (current.TaskState != expected)
            {
                return Task.FromException<Instance>(new ConflictException($"Instance {instanceId} is in task state {current.TaskState}, not {expected}."));
            }

            Instance updated = change(current) with { Revision = current.Revision + 1, UpdatedAtUtc = timeProvider.GetUtcNow().UtcDateTime };
            _instances[instanceId] = updated;
            _applied[request.RequestId] = updated;
            return Task.FromResult(updated);
        }
    }
}
