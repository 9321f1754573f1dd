using Conductor.Abstractions;

namespace Conductor.Host.Tests.Versioning.Apis;

/// <summary>The ticker's DTO: <see cref="Zone"/> was added in ticker 1.2.</summary>
public sealed record Tick
{
    public required long Ticks { get; init; }

    [ConductorSince(1, 2)]
    public string? Zone { get; init; }
}
