namespace Conductor.Abstractions.Tests.Probes.V1;

[ConductorApi("probe", 1, 0)]
public interface IProbe
{
    Task<ProbeDto> GetAsync(int id, CancellationToken cancellationToken);
}
