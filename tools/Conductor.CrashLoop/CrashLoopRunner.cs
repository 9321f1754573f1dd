using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Conductor.Abstractions;
using Conductor.Abstractions.Admin;
using Conductor.Abstractions.Compute;
using Conductor.Proxy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Conductor.CrashLoop;

/// <summary>
/// Runs the conductor as a real process under concurrent durable writes, kills it with SIGKILL, restarts it, and
/// checks after every restart that the database opened, that every write acknowledged so far is present, and that
/// the long-lived compute clients reconnected by themselves.
/// </summary>
/// <remarks>
/// The writes are instance actions (one per compute client, on the client's own instance) and instance creates (one
/// admin client). Each writer builds a request object once and retries that same object until the conductor
/// acknowledges it, so a write interrupted by a kill is resent with its request id and applied at most once. A write
/// counts as acknowledged only when the call returned; only those must survive.
/// </remarks>
public sealed class CrashLoopRunner
{
    private static readonly TimeSpan s_verifyTimeout = TimeSpan.FromSeconds(60);

    private readonly CrashLoopOptions _options;
    private readonly ConcurrentDictionary<Guid, string> _acknowledgedActions = new();
    private readonly ConcurrentDictionary<Guid, bool> _acknowledgedCreates = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly ProxyRetryCounter _proxyRetries = new();
    private long _retried;
    private long _acknowledged;

    /// <summary>Initializes a new instance of the <see cref="CrashLoopRunner"/> class.</summary>
    /// <param name="options">How to run.</param>
    public CrashLoopRunner(CrashLoopOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>Runs the loop.</summary>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>What was seen.</returns>
    public async Task<CrashLoopResult> RunAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        string work = _options.WorkDirectory ?? Path.Combine(Path.GetTempPath(), "conductor-crash-loop", Guid.NewGuid().ToString("N"));
        string data = Path.Combine(work, "data");
        Directory.CreateDirectory(work);
        int port = ConductorProcess.FreePort();
        var random = new Random(_options.Seed);
        Log($"crash loop: {_options.Rounds} rounds, {_options.ComputeWriters} compute writers + 1 admin writer, seed {_options.Seed}, work directory {work}");

        ConductorProcess conductor = await StartConductorAsync(data, port, work, 0, cancellationToken).ConfigureAwait(false);
        var clients = new List<ServiceProvider>();
        int rounds = 0;
        long reconnects = 0;
        using var stopWriters = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writers = new List<Task>();
        try
        {
            ServiceProvider admin = CreateClient(conductor.Endpoint, ConductorRole.Admin, "crash-admin");
            clients.Add(admin);
            var compute = new List<(string Host, ServiceProvider Provider, Guid InstanceId)>();
            for (int i = 1; i <= _options.ComputeWriters; i++)
            {
                string host = string.Create(CultureInfo.InvariantCulture, $"crash-host-{i}");
                ServiceProvider provider = CreateClient(conductor.Endpoint, ConductorRole.Compute, host);
                clients.Add(provider);
                await RegisterAsync(provider, cancellationToken).ConfigureAwait(false);
                compute.Add((host, provider, Guid.Empty));
            }

            for (int i = 0; i < compute.Count; i++)
            {
                compute[i] = compute[i] with { InstanceId = await OwnInstanceAsync(admin, compute[i].Provider, cancellationToken).ConfigureAwait(false) };
            }

            foreach ((string host, ServiceProvider provider, Guid instanceId) in compute)
            {
                writers.Add(Task.Run(() => WriteActionsAsync(host, provider.GetRequiredService<IInstanceActionRepository>(), instanceId, stopWriters.Token), CancellationToken.None));
                writers.Add(Task.Run(() => HeartbeatAsync(provider.GetRequiredService<IServiceRepository>(), stopWriters.Token), CancellationToken.None));
            }

            writers.Add(Task.Run(() => CreateInstancesAsync(admin.GetRequiredService<IInstanceAdminRepository>(), stopWriters.Token), CancellationToken.None));

            for (int round = 1; round <= _options.Rounds && _failures.IsEmpty; round++)
            {
                long before = Interlocked.Read(ref _acknowledged);
                await WaitUntilAsync(() => Interlocked.Read(ref _acknowledged) - before >= _options.MinimumWritesPerRound, TimeSpan.FromSeconds(60), "writes to be acknowledged before the kill", cancellationToken).ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromMilliseconds(random.NextDouble() * _options.MaxExtraDelayBeforeKill.TotalMilliseconds), cancellationToken).ConfigureAwait(false);
                Conductor.Abstractions.Wire.HandshakeResponse?[] connectionsBefore = [.. clients.Select(c => c.GetRequiredService<IConductorConnection>().Current)];

                await conductor.KillAsync().ConfigureAwait(false);
                long acknowledgedAtKill = Interlocked.Read(ref _acknowledged);
                await conductor.DisposeAsync().ConfigureAwait(false);
                conductor = await StartConductorAsync(data, port, work, round, cancellationToken).ConfigureAwait(false);

                // Every write acknowledged so far (including replies read just before the kill) must be there.
                await VerifyAsync(admin, compute, round, cancellationToken).ConfigureAwait(false);
                reconnects += await CountReconnectsAsync(clients, connectionsBefore, round, cancellationToken).ConfigureAwait(false);
                rounds = round;
                Log($"round {round}: killed after {acknowledgedAtKill} acknowledged writes in all, restarted as process {conductor.ProcessId}, every acknowledged write present, {_proxyRetries.Count} proxy resends so far");
            }

            await stopWriters.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(writers).ConfigureAwait(false);
            writers.Clear();

            // A last check after a graceful stop and start: the database closes and opens cleanly too.
            int? exit = await conductor.StopAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            if (exit != 0)
            {
                _failures.Enqueue($"The conductor did not stop cleanly on SIGTERM (exit code {exit?.ToString(CultureInfo.InvariantCulture) ?? "none: killed after 30 s"}).");
            }

            await conductor.DisposeAsync().ConfigureAwait(false);
            conductor = await StartConductorAsync(data, port, work, _options.Rounds + 1, cancellationToken).ConfigureAwait(false);
            await VerifyAsync(admin, compute, _options.Rounds + 1, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Any failure of the run is reported as a failure, with the work directory kept for inspection.
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            _failures.Enqueue($"The crash loop stopped in round {rounds + 1}: {ex.GetType().Name}: {ex.Message}");
        }
        finally
        {
            await stopWriters.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(writers).ConfigureAwait(false);
            foreach (ServiceProvider client in clients)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }

            await conductor.StopAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            await conductor.DisposeAsync().ConfigureAwait(false);
        }

        if (_failures.IsEmpty && _options.DeleteWorkDirectory)
        {
            Directory.Delete(work, recursive: true);
        }

        var result = new CrashLoopResult(rounds, Interlocked.Read(ref _acknowledged), Interlocked.Read(ref _retried), _proxyRetries.Count, reconnects, [.. _failures], watch.Elapsed, _options.Seed);
        Log($"crash loop {(result.Passed ? "PASSED" : "FAILED")}: {result.Rounds} rounds, {result.AcknowledgedWrites} acknowledged writes ({(result.Passed ? "all present after every restart" : "see the failures")}), {result.ProxyResends} calls in flight at a kill completed by the proxy's own resend, {result.RetriedWrites} retried by the writer, {result.Reconnects} client reconnects, {result.Elapsed.TotalSeconds:0.#} s");
        foreach (string failure in result.Failures)
        {
            Log("FAILURE: " + failure);
        }

        return result;
    }

    private ServiceProvider CreateClient(string endpoint, ConductorRole role, string host)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(_proxyRetries));
        services.AddConductorClient(o =>
            {
                o.Endpoint = endpoint;
                o.Role = role;
                o.HostName = host;
                o.ClientName = "crash-loop";
                o.ConnectTimeout = TimeSpan.FromSeconds(2);
                o.CallTimeout = TimeSpan.FromSeconds(10);
                o.MaxReconnectDelay = TimeSpan.FromMilliseconds(200);
            })
            .AddApi<IInstanceAdminRepository>();
        return services.BuildServiceProvider();
    }

    private static async Task RegisterAsync(ServiceProvider provider, CancellationToken cancellationToken)
    {
        var registration = new ServiceRegistration { Binary = "crash-loop", Version = "1.0" };
        await RetryAsync(c => provider.GetRequiredService<IServiceRepository>().RegisterAsync(registration, c), cancellationToken).ConfigureAwait(false);
        var report = new ComputeNodeReport { VcpusTotal = 100_000, MemoryMbTotal = 100_000_000, DiskGbTotal = 100_000_000, HypervisorType = "crash-loop" };
        await RetryAsync(c => provider.GetRequiredService<IComputeNodeRepository>().ReportAsync(report, c), cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Guid> OwnInstanceAsync(ServiceProvider admin, ServiceProvider compute, CancellationToken cancellationToken)
    {
        // The scheduler places each instance on the host with the most free memory, so creating a few lands one on every host.
        IInstanceRepository own = compute.GetRequiredService<IInstanceRepository>();
        for (int attempt = 0; attempt < 100; attempt++)
        {
            Page<Instance> page = await RetryAsync(c => own.ListAsync(new PageRequest { Limit = 1 }, c), cancellationToken).ConfigureAwait(false);
            if (page.Items.Count > 0)
            {
                return page.Items[0].Id;
            }

            var create = new InstanceCreate { Name = "crash-target", Flavor = new Flavor { Vcpus = 1, MemoryMb = 1, DiskGb = 1 } };
            await RetryAsync(c => admin.GetRequiredService<IInstanceAdminRepository>().CreateAsync(create, c), cancellationToken).ConfigureAwait(false);
        }

        throw new InvalidOperationException("No instance landed on one of the compute hosts after 100 creates.");
    }

    private static async Task<T> RetryAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await call(cancellationToken).ConfigureAwait(false);
            }
            catch (ConductorUnavailableException)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task WriteActionsAsync(string host, IInstanceActionRepository actions, Guid instanceId, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var start = new InstanceActionStart { InstanceId = instanceId, Action = "crash-write" };
            if (await AcknowledgeAsync(c => actions.StartAsync(start, c), $"action {start.RequestId} of {host}", stop).ConfigureAwait(false) is { } action)
            {
                if (action.Id != start.RequestId)
                {
                    _failures.Enqueue($"Action {start.RequestId} of {host} was acknowledged as {action.Id}.");
                }

                _acknowledgedActions[action.Id] = host;
            }
        }
    }

    /// <summary>Heartbeats like a compute host (so the scheduler keeps placing instances), through every outage.</summary>
    private static async Task HeartbeatAsync(IServiceRepository services, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await services.HeartbeatAsync(stop).ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromSeconds(1), stop).ConfigureAwait(false);
            }
            catch (ConductorUnavailableException)
            {
                // Down: the next beat goes to the restarted conductor over the same proxy.
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task CreateInstancesAsync(IInstanceAdminRepository admin, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var create = new InstanceCreate { Name = "crash-create", Flavor = new Flavor { Vcpus = 1, MemoryMb = 1, DiskGb = 1 } };
            if (await AcknowledgeAsync(c => admin.CreateAsync(create, c), $"create {create.RequestId}", stop).ConfigureAwait(false) is { } instance)
            {
                _acknowledgedCreates[instance.Id] = true;
            }
        }
    }

    /// <summary>Sends one write until the conductor acknowledges it, resending the same request after each interruption.</summary>
    private async Task<T?> AcknowledgeAsync<T>(Func<CancellationToken, Task<T>> write, string what, CancellationToken stop)
        where T : class
    {
        bool interrupted = false;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                T result = await write(CancellationToken.None).ConfigureAwait(false);
                Interlocked.Increment(ref _acknowledged);
                if (interrupted)
                {
                    Interlocked.Increment(ref _retried);
                }

                return result;
            }
            catch (ConductorUnavailableException)
            {
                // The conductor is down or was killed mid-call: same request again (applied at most once).
                interrupted = true;
                try
                {
                    await Task.Delay(50, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return null;
                }
            }
            catch (ConductorException ex)
            {
                _failures.Enqueue($"The conductor refused {what}: {ex.GetType().Name}: {ex.Message}");
                return null;
            }
        }

        return null;
    }

    private async Task VerifyAsync(ServiceProvider admin, List<(string Host, ServiceProvider Provider, Guid InstanceId)> compute, int round, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_verifyTimeout);

        // Snapshot first: everything acknowledged up to now was acknowledged by a conductor that the reads below follow.
        KeyValuePair<Guid, string>[] actions = [.. _acknowledgedActions];
        Guid[] creates = [.. _acknowledgedCreates.Keys];
        foreach ((string host, ServiceProvider provider, Guid instanceId) in compute)
        {
            IReadOnlyList<InstanceAction> stored = await RetryAsync(c => provider.GetRequiredService<IInstanceActionRepository>().ListAsync(instanceId, c), timeout.Token).ConfigureAwait(false);
            var present = stored.Select(a => a.Id).ToHashSet();
            int missing = actions.Count(a => a.Value == host && !present.Contains(a.Key));
            if (missing > 0)
            {
                _failures.Enqueue($"Round {round}: {missing} acknowledged action(s) of {host} are missing after the restart.");
            }
        }

        var instances = new HashSet<Guid>();
        IInstanceAdminRepository all = admin.GetRequiredService<IInstanceAdminRepository>();
        string? after = null;
        do
        {
            string? from = after;
            Page<Instance> page = await RetryAsync(c => all.ListAsync(new PageRequest { Limit = PageRequest.MaxLimit, After = from }, c), timeout.Token).ConfigureAwait(false);
            instances.UnionWith(page.Items.Select(i => i.Id));
            after = page.NextPageToken;
        }
        while (after is not null);

        int lost = creates.Count(id => !instances.Contains(id));
        if (lost > 0)
        {
            _failures.Enqueue($"Round {round}: {lost} acknowledged instance create(s) are missing after the restart.");
        }
    }

    private async Task<long> CountReconnectsAsync(List<ServiceProvider> clients, Conductor.Abstractions.Wire.HandshakeResponse?[] connectionsBefore, int round, CancellationToken cancellationToken)
    {
        long reconnects = 0;
        for (int i = 0; i < clients.Count; i++)
        {
            // The same client objects, never rebuilt: a call through them must reach the restarted conductor.
            IConductorConnection connection = clients[i].GetRequiredService<IConductorConnection>();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(s_verifyTimeout);
            // Connection ids restart with the conductor's process, so compare the handshake answers themselves.
            Conductor.Abstractions.Wire.HandshakeResponse now = await RetryAsync(c => connection.ConnectAsync(c), timeout.Token).ConfigureAwait(false);
            if (ReferenceEquals(now, connectionsBefore[i]))
            {
                _failures.Enqueue($"Round {round}: client {i} still uses its connection to the killed conductor.");
            }
            else
            {
                reconnects++;
            }
        }

        return reconnects;
    }

    private async Task<ConductorProcess> StartConductorAsync(string data, int port, string work, int round, CancellationToken cancellationToken)
    {
        string log = Path.Combine(work, string.Create(CultureInfo.InvariantCulture, $"conductor-{round:D3}.log"));
        return await ConductorProcess.StartAsync(_options.ConductorPath, data, port, log, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds} s for {what}.");
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Log(string line) => _options.Log.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");
}
