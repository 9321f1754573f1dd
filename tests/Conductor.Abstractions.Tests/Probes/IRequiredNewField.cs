namespace Conductor.Abstractions.Tests.Probes;

[ConductorApi("required-new", 1, 1)]
public interface IRequiredNewField
{
    Task<RequiredNewFieldDto> GetAsync(CancellationToken cancellationToken);
}
