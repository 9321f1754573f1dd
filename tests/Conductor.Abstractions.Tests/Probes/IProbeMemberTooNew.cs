namespace Conductor.Abstractions.Tests.Probes;

/// <summary>A member that says it is newer than its API.</summary>
[ConductorApi("probe", 1, 0)]
public interface IProbeMemberTooNew
{
    [ConductorSince(1, 1)]
    Task<int> CountAsync(CancellationToken cancellationToken);
}
