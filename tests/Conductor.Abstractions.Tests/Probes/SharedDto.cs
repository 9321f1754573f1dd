namespace Conductor.Abstractions.Tests.Probes;

/// <summary>Carried by two APIs, with a field whose version names neither.</summary>
public sealed record SharedDto
{
    public int Id { get; init; }

    [ConductorSince(1, 1)]
    public string? Note { get; init; }
}
