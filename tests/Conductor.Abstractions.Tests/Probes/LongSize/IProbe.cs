namespace Conductor.Abstractions.Tests.Probes.LongSize;

[ConductorApi("probe", 1, 0)]
public interface IProbe
{
    Task<ProbeDto> GetAsync(int id, CancellationToken cancellationToken);
}
