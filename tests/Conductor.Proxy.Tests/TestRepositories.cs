using Conductor.Abstractions.Compute;
using Conductor.Abstractions.Persistence;

namespace Conductor.Proxy.Tests;

/// <summary>Looks like a conductor-side repository: marked as direct.</summary>
internal sealed class DirectInstanceRepository : IInstanceRepository, IDirectRepository
{
    public Task<Instance> GetAsync(Guid instanceId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<Instance>> GetManyAsync(IReadOnlyList<Guid> instanceIds, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<Page<Instance>> ListAsync(PageRequest page, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<Instance> UpdateAsync(InstanceUpdate update, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<Instance> MarkDeletedAsync(InstanceDeletion deletion, CancellationToken cancellationToken) => throw new NotSupportedException();
}

/// <summary>Not marked, but built on the database seam.</summary>
internal sealed class DatabaseBackedServiceRepository(IConductorDatabase database) : IServiceRepository
{
    public IConductorDatabase Database { get; } = database;

    public Task<ServiceRecord> RegisterAsync(ServiceRegistration registration, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ServiceRecord> HeartbeatAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ServiceRecord> GetAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
}

/// <summary>A test fake: neither marked nor built on the database.</summary>
internal sealed class FakeServiceRepository : IServiceRepository
{
    public Task<ServiceRecord> RegisterAsync(ServiceRegistration registration, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ServiceRecord> HeartbeatAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ServiceRecord> GetAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
}
