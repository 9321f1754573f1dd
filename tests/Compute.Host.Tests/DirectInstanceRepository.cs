using Conductor.Abstractions.Compute;
using Conductor.Abstractions.Persistence;

namespace Compute.Host.Tests;

/// <summary>Stands for a conductor-side repository that someone registered in a compute process by mistake.</summary>
internal sealed class DirectInstanceRepository : IInstanceRepository, IDirectRepository
{
    public Task<Instance> GetAsync(Guid instanceId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<Instance>> GetManyAsync(IReadOnlyList<Guid> instanceIds, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<Page<Instance>> ListAsync(PageRequest page, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<Instance> UpdateAsync(InstanceUpdate update, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<Instance> MarkDeletedAsync(InstanceDeletion deletion, CancellationToken cancellationToken) => throw new NotSupportedException();
}
