namespace Conductor.Abstractions.Tests.Probes;

[ConductorApi("share-b", 1, 1)]
public interface IShareB
{
    Task<SharedDto> GetAsync(CancellationToken cancellationToken);
}
