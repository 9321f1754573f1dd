namespace Conductor.Abstractions.Tests.Probes.Plain11;

[ConductorApi("probe", 1, 1)]
public interface IProbe
{
    Task<ProbeDto> GetAsync(int id, CancellationToken cancellationToken);
}
