namespace Conductor.Abstractions.Tests.Probes;

[ConductorApi("share-a", 1, 1)]
public interface IShareA
{
    Task<SharedDto> GetAsync(CancellationToken cancellationToken);
}
