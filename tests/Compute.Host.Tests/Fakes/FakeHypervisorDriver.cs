using System.Collections.Concurrent;
using Compute.Host.Hypervisor;
using Conductor.Abstractions.Compute;

namespace Compute.Host.Tests.Fakes;

/// <summary>A hypervisor whose builds and destructions finish at once, fail on demand, or run a test's hook.</summary>
internal sealed class FakeHypervisorDriver : IHypervisorDriver
{
    private readonly ConcurrentDictionary<Guid, Instance> _running = new();
    private readonly ConcurrentQueue<Guid> _spawnCalls = new();
    private readonly ConcurrentQueue<Guid> _destroyCalls = new();

    public Exception? SpawnFailure { get; set; }

    public Exception? DestroyFailure { get; set; }

    /// <summary>Gets or sets a hook that runs inside every build, before it completes.</summary>
    public Func<Instance, CancellationToken, Task>? OnSpawn { get; set; }

    public IReadOnlyList<Guid> SpawnCalls => [.. _spawnCalls];

    public IReadOnlyList<Guid> DestroyCalls => [.. _destroyCalls];

    public void Run(Instance instance) => _running[instance.Id] = instance;

    public async Task SpawnAsync(Instance instance, CancellationToken cancellationToken)
    {
        _spawnCalls.Enqueue(instance.Id);
        if (OnSpawn is not null)
        {
            await OnSpawn(instance, cancellationToken);
        }

        if (SpawnFailure is not null)
        {
            throw SpawnFailure;
        }

        _running[instance.Id] = instance;
    }

    public Task DestroyAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        _destroyCalls.Enqueue(instanceId);
        if (DestroyFailure is not null)
        {
            return Task.FromException(DestroyFailure);
        }

        _running.TryRemove(instanceId, out _);
        return Task.CompletedTask;
    }

    public IReadOnlyList<Instance> GetRunningInstances() => [.. _running.Values];
}
