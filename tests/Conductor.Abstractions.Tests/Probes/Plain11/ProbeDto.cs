namespace Conductor.Abstractions.Tests.Probes.Plain11;

public sealed record ProbeDto
{
    public required string Name { get; init; }

    public int Size { get; init; }
}
