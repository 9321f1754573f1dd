namespace Conductor.Abstractions.Tests.Probes.SinceAdded;

[ConductorApi("probe", 1, 1)]
public interface IProbe
{
    Task<ProbeDto> GetAsync(int id, CancellationToken cancellationToken);
}
