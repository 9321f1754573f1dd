namespace Conductor.Abstractions.Tests.Probes.ParameterRetyped;

[ConductorApi("probe", 1, 0)]
public interface IProbe
{
    Task<ProbeDto> GetAsync(long id, CancellationToken cancellationToken);
}
