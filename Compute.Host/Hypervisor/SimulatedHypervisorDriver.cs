using System.Collections.Concurrent;
using Conductor.Abstractions.Compute;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compute.Host.Hypervisor;

/// <summary>
/// A hypervisor that runs nothing: building and destroying take the configured simulated times, and the running
/// instances live in memory, so they are gone when the process ends.
/// </summary>
internal sealed partial class SimulatedHypervisorDriver : IHypervisorDriver
{
    private readonly ConcurrentDictionary<Guid, Instance> _running = new();
    private readonly ComputeHostOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public SimulatedHypervisorDriver(IOptions<ComputeHostOptions> options, TimeProvider timeProvider, ILogger<SimulatedHypervisorDriver> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <inheritdoc/>
    public async Task SpawnAsync(Instance instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (_running.ContainsKey(instance.Id))
        {
            return;
        }

        await DelayAsync(_options.SpawnTime, cancellationToken);
        _running[instance.Id] = instance;
        LogSpawned(_logger, instance.Id, _running.Count);
    }

    /// <inheritdoc/>
    public async Task DestroyAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        if (!_running.ContainsKey(instanceId))
        {
            return;
        }

        await DelayAsync(_options.DestroyTime, cancellationToken);
        _running.TryRemove(instanceId, out _);
        LogDestroyed(_logger, instanceId, _running.Count);
    }

    /// <inheritdoc/>
    public IReadOnlyList<Instance> GetRunningInstances() => [.. _running.Values];

    private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        delay > TimeSpan.Zero ? Task.Delay(delay, _timeProvider, cancellationToken) : Task.CompletedTask;

    [LoggerMessage(1, LogLevel.Debug, "Simulated hypervisor started instance {InstanceId}; {Count} instance(s) running.")]
    private static partial void LogSpawned(ILogger logger, Guid instanceId, int count);

    [LoggerMessage(2, LogLevel.Debug, "Simulated hypervisor destroyed instance {InstanceId}; {Count} instance(s) running.")]
    private static partial void LogDestroyed(ILogger logger, Guid instanceId, int count);
}
