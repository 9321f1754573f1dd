namespace Conductor.Abstractions.Tests.Probes;

/// <summary>A field added in 1.1 that is required, which older peers can never satisfy.</summary>
public sealed record RequiredNewFieldDto
{
    [ConductorSince(1, 1)]
    public required string Note { get; init; }
}
