using Conductor.Abstractions;
using Conductor.Abstractions.Compute;

namespace Conductor.Compat.Tests;

/// <summary>A compute host's view of instances that cannot work without 1.1 (it relies on GetMany).</summary>
[ConductorApi("instances", 1, 1, MinimumMinor = 1)]
public interface IInstancesNeedingOneOne
{
    [ConductorSince(1, 1)]
    Task<IReadOnlyList<Instance>> GetManyAsync(IReadOnlyList<Guid> instanceIds, CancellationToken cancellationToken);
}
