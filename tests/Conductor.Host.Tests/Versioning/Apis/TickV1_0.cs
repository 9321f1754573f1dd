namespace Conductor.Host.Tests.Versioning.Apis;

/// <summary>The ticker DTO as 1.0 knew it.</summary>
public sealed record TickV1_0
{
    public required long Ticks { get; init; }
}
