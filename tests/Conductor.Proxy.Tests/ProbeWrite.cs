using Conductor.Abstractions;

namespace Conductor.Proxy.Tests;

public sealed record ProbeWrite : IWriteRequest
{
    public Guid RequestId { get; init; } = Guid.NewGuid();
}
