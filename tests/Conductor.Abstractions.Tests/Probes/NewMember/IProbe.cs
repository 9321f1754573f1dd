namespace Conductor.Abstractions.Tests.Probes.NewMember;

[ConductorApi("probe", 1, 1)]
public interface IProbe
{
    Task<ProbeDto> GetAsync(int id, CancellationToken cancellationToken);

    [ConductorSince(1, 1)]
    Task<int> CountAsync(CancellationToken cancellationToken);
}
