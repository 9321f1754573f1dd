using Conductor.Specification.Tests.Targets;

namespace Conductor.Specification.Tests;

[TestClass]
public sealed class DirectRepositoryTests : ConductorSpecification
{
    protected override Task<ConductorTarget> CreateTargetAsync() => Task.FromResult<ConductorTarget>(new DirectTarget());
}

[TestClass]
public sealed class InMemoryProxyTests : ConductorSpecification
{
    protected override Task<ConductorTarget> CreateTargetAsync() => Task.FromResult<ConductorTarget>(new InMemoryProxyTarget());
}

[TestClass]
public sealed class TcpProxyTests : ConductorSpecification
{
    protected override async Task<ConductorTarget> CreateTargetAsync() => await TcpProxyTarget.StartAsync();
}
