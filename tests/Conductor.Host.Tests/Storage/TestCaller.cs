using Conductor.Abstractions;

namespace Conductor.Host.Tests.Storage;

/// <summary>A caller context for tests: one per simulated connection.</summary>
public sealed record TestCaller(string HostName, ConductorRole Role = ConductorRole.Compute) : ICallerContext
{
    public string ClientName { get; init; } = "test";

    public string ConnectionId { get; init; } = Guid.NewGuid().ToString("N");
}
