using Conductor.Abstractions;
using Conductor.Abstractions.Admin;
using Conductor.Abstractions.Compute;
using Conductor.Abstractions.Persistence;
using Conductor.Host.Storage;
using Conductor.Host.Storage.Documents;
using Microsoft.Extensions.Options;

namespace Conductor.Host.Repositories;

/// <summary>Operators' access to every instance, read and written directly in the database, with the scheduler.</summary>
/// <remarks>
/// Scheduling reads capacity and writes the new instance in one write (<see cref="LiteDbConductorDatabase.WriteAsync{T}"/>,
/// which serializes writes), so two concurrent creates never both take the last room on a host. Free capacity is the node's totals minus the
/// flavors of the live instances the conductor has placed there, not the usage the host reports, which lags; both the
/// hosts' records and those sums come from memory kept by the writes (<see cref="SchedulingHosts"/>, <see cref="HostUsage"/>).
/// </remarks>
internal sealed class InstanceAdminRepository : IInstanceAdminRepository, IDirectRepository
{
    private const int MaxNameLength = 255;

    private readonly LiteDbConductorDatabase _db;
    private readonly TimeProvider _time;
    private readonly ConductorOptions _options;

    /// <summary>Initializes a new instance of the <see cref="InstanceAdminRepository"/> class.</summary>
    /// <param name="db">The database.</param>
    /// <param name="time">The conductor's clock.</param>
    /// <param name="options">The options; <see cref="ConductorOptions.ServiceDownAfter"/> is used.</param>
    public InstanceAdminRepository(LiteDbConductorDatabase db, TimeProvider time, IOptions<ConductorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _db = db;
        _time = time;
        _options = options.Value;
    }

    /// <inheritdoc/>
    public async Task<Instance> CreateAsync(InstanceCreate create, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Validate(create);

        // The instance id is the request id, so a retried create finds the instance it made even after its ledger
        // entry was pruned.
        return await _db.WriteAsync(
            WriteKey.ForAdmin(create, "admin.instances.Create"),
            () => (_db.FindInstanceForWrite(create.RequestId) ?? Schedule(create)).ToInstance(),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<Instance> DeleteAsync(InstanceDeleteRequest delete, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (delete is null)
        {
            throw RepositoryErrors.Missing("delete request");
        }

        return await _db.WriteAsync(WriteKey.ForAdmin(delete, "admin.instances.Delete"), () =>
        {
            InstanceDocument doc = _db.FindInstanceForWrite(delete.InstanceId) ?? throw RepositoryErrors.InstanceNotFound(delete.InstanceId);
            if (!doc.IsDeleted && doc.TaskState != TaskState.Deleting)
            {
                doc.TaskState = TaskState.Deleting;
                doc.Revision++;
                doc.UpdatedAtUtc = StorageClock.Now(_time);
                doc.LastRequestId = delete.RequestId;
                _db.UpdateInstance(doc);
            }

            return doc.ToInstance();
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task<Instance> GetAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_db.TryGetCommittedInstance(instanceId, out Instance? committed))
        {
            return Task.FromResult(committed);
        }

        InstanceDocument doc = _db.Instances.FindById(instanceId) ?? throw RepositoryErrors.InstanceNotFound(instanceId);
        return Task.FromResult(doc.ToInstance());
    }

    /// <inheritdoc/>
    public Task<Page<Instance>> ListAsync(PageRequest page, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(InstancePages.Read(_db.Instances, page, prefix: ""));
    }

    private static void Validate(InstanceCreate create)
    {
        if (create is null)
        {
            throw RepositoryErrors.Missing("instance create request");
        }

        if (string.IsNullOrWhiteSpace(create.Name) || create.Name.Length > MaxNameLength)
        {
            throw new InvalidRequestException($"The instance name is empty or longer than {MaxNameLength} characters. Give the instance a name of 1 to {MaxNameLength} characters.");
        }

        if (create.Flavor is null || create.Flavor.Vcpus <= 0 || create.Flavor.MemoryMb <= 0 || create.Flavor.DiskGb <= 0)
        {
            throw new InvalidRequestException("The flavor must ask for at least one vCPU, one MB of memory and one GB of disk. Give every flavor value as a positive number.");
        }

        if (InstanceMetadata.Validate(create.Metadata) is { } problem)
        {
            throw new InvalidRequestException(problem);
        }
    }

    private InstanceDocument Schedule(InstanceCreate create)
    {
        DateTime now = StorageClock.Now(_time);
        Flavor flavor = create.Flavor;
        HostCapacity? best = null;
        foreach ((ServiceDocument service, ComputeNodeDocument? node) in _db.SchedulingHosts.All())
        {
            if (node is null || service.Disabled || now - _db.Liveness.LastHeartbeat(service) >= _options.ServiceDownAfter)
            {
                continue;
            }

            HostCapacity free = HostCapacity.Free(_db, node);
            if (free.Fits(flavor) && (best is null || free.MemoryMb > best.MemoryMb
                || (free.MemoryMb == best.MemoryMb && string.CompareOrdinal(free.Host, best.Host) < 0)))
            {
                best = free;
            }
        }

        if (best is null)
        {
            throw new NoCapacityException(
                $"No up and enabled compute host has room for {flavor.Vcpus} vCPUs, {flavor.MemoryMb} MB of memory and {flavor.DiskGb} GB of disk. "
                + "Start or enable compute hosts, delete instances, or ask for a smaller flavor, then retry.");
        }

        var doc = new InstanceDocument
        {
            Id = create.RequestId,
            Name = create.Name,
            Host = best.Host,
            Vcpus = flavor.Vcpus,
            MemoryMb = flavor.MemoryMb,
            DiskGb = flavor.DiskGb,
            VmState = VmState.Building,
            TaskState = TaskState.Scheduling,
            PowerState = PowerState.NoState,
            CreatedAtUtc = now,
            UpdatedAtUtc = now,
            Revision = 1,
            LastRequestId = create.RequestId,
            Metadata = MetadataEntry.From(create.Metadata),
        };
        doc.UpdateKeys();
        _db.HostUsage.Place(doc);
        _db.InsertInstance(doc);
        return doc;
    }
}
