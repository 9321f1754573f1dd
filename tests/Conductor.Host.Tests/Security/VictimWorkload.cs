using Conductor.Abstractions.Compute;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.Host.Tests.Security;

/// <summary>
/// Host B going about its business through the real proxy while host A attacks: it heartbeats, reports its node and
/// flips its instances' power state with compare-and-swap, remembering every answer the conductor acknowledged, so
/// that the database can be checked against exactly what B's own acknowledged writes imply.
/// </summary>
internal sealed class VictimWorkload(IServiceProvider client, IReadOnlyList<Guid> instances)
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly List<(long Calls, TaskCompletionSource Signal)> _waiters = [];
    private Task? _running;
    private long _calls;

    public Dictionary<Guid, Instance> Instances { get; } = [];

    public ServiceRecord? Heartbeat { get; private set; }

    public ComputeNode? Node { get; private set; }

    public List<Exception> Failures { get; } = [];

    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Brings B's instances to active (as B's spawn would), then loops until stopped.</summary>
    public async Task StartAsync()
    {
        IInstanceRepository repository = client.GetRequiredService<IInstanceRepository>();
        foreach (Guid id in instances)
        {
            await repository.UpdateAsync(new InstanceUpdate { InstanceId = id, ExpectedTaskState = TaskState.Scheduling, TaskState = TaskState.Spawning }, CancellationToken.None);
            Instances[id] = await repository.UpdateAsync(
                new InstanceUpdate
                {
                    InstanceId = id,
                    ExpectedTaskState = TaskState.Spawning,
                    TaskState = TaskState.None,
                    VmState = VmState.Active,
                    PowerState = PowerState.Running,
                    LaunchedAtUtc = new DateTime(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc),
                },
                CancellationToken.None);
        }

        _running = Task.Run(LoopAsync);
    }

    /// <summary>Waits until B has completed <paramref name="more"/> more calls than now.</summary>
    public Task ProgressAsync(long more = 20)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _waiters.Add((Calls + more, signal));
        }

        return signal.Task.WaitAsync(SecureConductor.Timeout);
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _running!;
    }

    private async Task LoopAsync()
    {
        IInstanceRepository repository = client.GetRequiredService<IInstanceRepository>();
        IServiceRepository services = client.GetRequiredService<IServiceRepository>();
        IComputeNodeRepository nodes = client.GetRequiredService<IComputeNodeRepository>();
        int round = 0;
        while (!_stop.IsCancellationRequested)
        {
            round++;
            try
            {
                foreach (Guid id in instances)
                {
                    PowerState next = round % 2 == 0 ? PowerState.Running : PowerState.Shutdown;
                    Instances[id] = await repository.UpdateAsync(new InstanceUpdate { InstanceId = id, ExpectedTaskState = TaskState.None, PowerState = next }, CancellationToken.None);
                    Count();
                }

                Heartbeat = await services.HeartbeatAsync(CancellationToken.None);
                Count();
                Node = await nodes.ReportAsync(
                    new ComputeNodeReport { VcpusTotal = 64, MemoryMbTotal = 100_000, DiskGbTotal = 10_000, VcpusUsed = round % 7, HypervisorType = "simulated" },
                    CancellationToken.None);
                Count();
                _ = await repository.ListAsync(new PageRequest { Limit = 100 }, CancellationToken.None);
                Count();
            }
            catch (Exception ex)
            {
                lock (Failures)
                {
                    Failures.Add(ex);
                }

                lock (_gate)
                {
                    foreach ((_, TaskCompletionSource signal) in _waiters)
                    {
                        signal.TrySetException(new AssertFailedException("Host B's call failed during the attack: " + ex.Message, ex));
                    }

                    _waiters.Clear();
                }

                return;
            }
        }
    }

    private void Count()
    {
        long calls = Interlocked.Increment(ref _calls);
        lock (_gate)
        {
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (calls >= _waiters[i].Calls)
                {
                    _waiters[i].Signal.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }
}
