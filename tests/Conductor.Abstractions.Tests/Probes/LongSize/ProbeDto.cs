namespace Conductor.Abstractions.Tests.Probes.LongSize;

public sealed record ProbeDto
{
    public required string Name { get; init; }

    public long Size { get; init; }
}
