namespace Conductor.Abstractions.Tests.Probes.ParameterRetyped;

public sealed record ProbeDto
{
    public required string Name { get; init; }

    public int Size { get; init; }
}
