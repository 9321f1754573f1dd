using Conductor.Abstractions;

namespace Conductor.Host.Tests.Security;

/// <summary>A test API whose calls wait on a gate the test opens, so concurrency on the conductor can be observed exactly.</summary>
[ConductorApi("blocking", 1, 0)]
public interface IBlockingApi
{
    [ConductorAccess(AccessRule.OwnHost)]
    Task<int> WaitAsync(CancellationToken cancellationToken);

    [ConductorAccess(AccessRule.OwnHost)]
    Task<int> FailAsync(CancellationToken cancellationToken);
}
