namespace Conductor.Abstractions.Tests.Probes;

[ConductorApi("field-too-new", 1, 0)]
public interface IFieldTooNew
{
    Task<FieldTooNewDto> GetAsync(CancellationToken cancellationToken);
}
