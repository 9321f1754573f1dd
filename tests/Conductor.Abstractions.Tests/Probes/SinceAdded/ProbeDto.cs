namespace Conductor.Abstractions.Tests.Probes.SinceAdded;

public sealed record ProbeDto
{
    public required string Name { get; init; }

    [ConductorSince(1, 1)]
    public int Size { get; init; }
}
