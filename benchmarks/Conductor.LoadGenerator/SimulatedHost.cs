using Conductor.Abstractions;
using Conductor.Abstractions.Compute;
using Conductor.Proxy;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.LoadGenerator;

/// <summary>
/// One compute host: its own container and connection (as a real compute process has), registering itself, reporting
/// capacity, and then on every interval heartbeating and updating each of its instances as a power-state sync would.
/// </summary>
internal sealed class SimulatedHost : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly LatencyRecorder _recorder;
    private Guid[] _instances = [];
    private int _sequence;

    private SimulatedHost(string name, ServiceProvider provider, LatencyRecorder recorder)
    {
        Name = name;
        _provider = provider;
        _recorder = recorder;
    }

    /// <summary>Gets the host's name.</summary>
    public string Name { get; }

    /// <summary>Creates the host's container; nothing connects until <see cref="StartAsync"/>.</summary>
    /// <param name="name">The host name.</param>
    /// <param name="credentials">The host's credential (<see cref="ConductorClientOptions.Credentials"/>), issued by the admin.</param>
    /// <param name="endpoint">The conductor.</param>
    /// <param name="recorder">Where latencies go.</param>
    /// <returns>The host.</returns>
    public static SimulatedHost Create(string name, string credentials, string endpoint, LatencyRecorder recorder)
    {
        var services = new ServiceCollection();
        services.AddConductorClient(o =>
        {
            o.Endpoint = endpoint;
            o.HostName = name;
            o.Credentials = credentials;
            o.Role = ConductorRole.Compute;
            o.ClientName = "load-generator";
            o.ConnectTimeout = TimeSpan.FromSeconds(30);
            o.CallTimeout = TimeSpan.FromSeconds(30);
        });
        return new SimulatedHost(name, services.BuildServiceProvider(), recorder);
    }

    /// <summary>Connects, registers the service and reports the node's capacity.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when the host is registered.</returns>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _provider.GetRequiredService<IConductorConnection>().ConnectAsync(cancellationToken).ConfigureAwait(false);
        await _provider.GetRequiredService<IServiceRepository>().RegisterAsync(
            new ServiceRegistration { Binary = "compute-host", Version = "1.0.0" }, cancellationToken).ConfigureAwait(false);
        await _provider.GetRequiredService<IComputeNodeRepository>().ReportAsync(
            new ComputeNodeReport { VcpusTotal = 64, MemoryMbTotal = 262144, DiskGbTotal = 10000, HypervisorType = "simulated" },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Learns which instances the conductor placed here (one keyset page at a time) and marks them active.</summary>
    /// <param name="cancellationToken">Cancels the discovery.</param>
    /// <returns>A task that completes when the instances are known.</returns>
    public async Task DiscoverInstancesAsync(CancellationToken cancellationToken)
    {
        IInstanceRepository repository = _provider.GetRequiredService<IInstanceRepository>();
        var found = new List<Guid>();
        string? after = null;
        do
        {
            Page<Instance> page = await repository.ListAsync(new PageRequest { After = after, Limit = 100 }, cancellationToken).ConfigureAwait(false);
            foreach (Instance instance in page.Items)
            {
                if (instance.TaskState == TaskState.Scheduling)
                {
                    await repository.UpdateAsync(
                        new InstanceUpdate { InstanceId = instance.Id, ExpectedTaskState = TaskState.Scheduling, TaskState = TaskState.None, VmState = VmState.Active, PowerState = PowerState.Running },
                        cancellationToken).ConfigureAwait(false);
                }

                found.Add(instance.Id);
            }

            after = page.NextPageToken;
        }
        while (after is not null);
        Volatile.Write(ref _instances, [.. found]);
    }

    /// <summary>Gets how many instances the host has.</summary>
    public int InstanceCount => _instances.Length;

    /// <summary>Heartbeats and updates each instance every <paramref name="interval"/> until <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="interval">The period.</param>
    /// <param name="phase">How long to wait before the first round, so the fleet's rounds are spread over the period.</param>
    /// <param name="cancellationToken">Ends the loop.</param>
    /// <returns>A task that completes when the loop has ended.</returns>
    public async Task RunAsync(TimeSpan interval, TimeSpan phase, CancellationToken cancellationToken)
    {
        IServiceRepository services = _provider.GetRequiredService<IServiceRepository>();
        IInstanceRepository instances = _provider.GetRequiredService<IInstanceRepository>();
        try
        {
            await Task.Delay(phase, cancellationToken).ConfigureAwait(false);
            using var timer = new PeriodicTimer(interval);
            do
            {
                await _recorder.TimeAsync("services.Heartbeat", () => services.HeartbeatAsync(CancellationToken.None)).ConfigureAwait(false);
                foreach (Guid id in Volatile.Read(ref _instances))
                {
                    int sequence = _sequence++;
                    await _recorder.TimeAsync("instances.Update", () => instances.UpdateAsync(
                        new InstanceUpdate
                        {
                            InstanceId = id,
                            ExpectedTaskState = TaskState.None,
                            PowerState = (sequence & 1) == 0 ? PowerState.Shutdown : PowerState.Running,
                        },
                        CancellationToken.None)).ConfigureAwait(false);
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run is over.
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
