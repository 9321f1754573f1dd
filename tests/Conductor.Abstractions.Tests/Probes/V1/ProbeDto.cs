namespace Conductor.Abstractions.Tests.Probes.V1;

public sealed record ProbeDto
{
    public required string Name { get; init; }

    public int Size { get; init; }
}
