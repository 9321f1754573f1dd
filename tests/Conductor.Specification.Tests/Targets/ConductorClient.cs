using Conductor.Abstractions.Admin;
using Conductor.Abstractions.Compute;

namespace Conductor.Specification.Tests.Targets;

/// <summary>One caller's view of the conductor: a connection for proxies, a bound caller for direct repositories.</summary>
public sealed class ConductorClient(
    IServiceRepository services,
    IComputeNodeRepository nodes,
    IInstanceRepository instances,
    IInstanceActionRepository actions,
    IInstanceAdminRepository adminInstances,
    IServiceAdminRepository adminServices,
    IAsyncDisposable? lifetime = null) : IAsyncDisposable
{
    public IServiceRepository Services { get; } = services;

    public IComputeNodeRepository Nodes { get; } = nodes;

    public IInstanceRepository Instances { get; } = instances;

    public IInstanceActionRepository Actions { get; } = actions;

    public IInstanceAdminRepository AdminInstances { get; } = adminInstances;

    public IServiceAdminRepository AdminServices { get; } = adminServices;

    public ValueTask DisposeAsync() => lifetime?.DisposeAsync() ?? ValueTask.CompletedTask;
}
