namespace Conductor.Abstractions.Tests.Probes;

/// <summary>A field that says it is newer than the API carrying it.</summary>
public sealed record FieldTooNewDto
{
    [ConductorSince(1, 2)]
    public string? Note { get; init; }
}
