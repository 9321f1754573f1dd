using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Conductor.Abstractions;
using Conductor.Abstractions.Admin;
using Conductor.Abstractions.Compute;
using Conductor.Processes;
using Conductor.Proxy;
using Microsoft.Extensions.DependencyInjection;

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
public sealed partial class CrashLoopRunner
{
    private static readonly TimeSpan s_verifyTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(30);

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
        HostBinaries binaries = HostBinaries.Locate(_options.ConductorPath);
        Directory.CreateDirectory(work);

        // Every conductor's output, each line prefixed with the process's name, in one file in the work directory.
        using var conductorLog = new StreamWriter(Path.Combine(work, "conductor.log"), append: true) { AutoFlush = true };
        await using LocalCluster cluster = LocalCluster.Create(binaries, new ProcessLog(conductorLog), work);
        cluster.KeepData = true;
        cluster.ProcessEnvironment["DOTNET_gcServer"] = "0";
        string data = cluster.DataDirectory;
        var random = new Random(_options.Seed);
        Log($"crash loop: {_options.Rounds} rounds, {_options.ComputeWriters} compute writers + 1 admin writer, seed {_options.Seed}, work directory {work}");

        ChildProcess conductor = await cluster.StartConductorAsync(cancellationToken).ConfigureAwait(false);
        var clients = new List<ServiceProvider>();
        int rounds = 0;
        long reconnects = 0;
        using var stopWriters = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writers = new List<Task>();
        try
        {
            ServiceProvider admin = CreateClient(cluster.Endpoint, ConductorRole.Admin, "crash-admin", data);
            clients.Add(admin);
            var compute = new List<(string Host, ServiceProvider Provider, Guid InstanceId)>();
            for (int i = 1; i <= _options.ComputeWriters; i++)
            {
                string host = string.Create(CultureInfo.InvariantCulture, $"crash-host-{i}");
                string credential = await ConductorCredentials.IssueAsync(cluster.Endpoint, data, host, cancellationToken).ConfigureAwait(false);
                ServiceProvider provider = CreateClient(cluster.Endpoint, ConductorRole.Compute, host, data, credential);
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

                await cluster.KillAsync(conductor).ConfigureAwait(false);
                long acknowledgedAtKill = Interlocked.Read(ref _acknowledged);
                conductor = await cluster.StartConductorAsync(cancellationToken).ConfigureAwait(false);

                // Every write acknowledged so far (including replies read just before the kill) must be there.
                await VerifyAsync(admin, compute, round, cancellationToken).ConfigureAwait(false);
                reconnects += await CountReconnectsAsync(clients, connectionsBefore, round, cancellationToken).ConfigureAwait(false);
                rounds = round;
                Log($"round {round}: killed after {acknowledgedAtKill} acknowledged writes in all, restarted as process {conductor.Id}, every acknowledged write present, {_proxyRetries.Count} proxy resends so far");
            }

            await stopWriters.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(writers).ConfigureAwait(false);
            writers.Clear();

            // A last check after a graceful stop and start: the database closes and opens cleanly too.
            try
            {
                await cluster.StopAsync(conductor, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
            {
                _failures.Enqueue($"The conductor did not stop cleanly on SIGTERM: {ex.Message}");
            }

            conductor = await cluster.StartConductorAsync(cancellationToken).ConfigureAwait(false);
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

            try
            {
                // Gracefully, so that the work directory kept for inspection holds a closed database; disposing the
                // cluster kills whatever is left.
                await conductor.StopAsync(s_stopTimeout, CancellationToken.None).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Killed after the bound; nothing more to do.
            }
        }

        // Disposing the cluster (at the end of this method) deletes the work directory.
        cluster.KeepData = !_failures.IsEmpty || !_options.DeleteWorkDirectory;

        var result = new CrashLoopResult(rounds, Interlocked.Read(ref _acknowledged), Interlocked.Read(ref _retried), _proxyRetries.Count, reconnects, [.. _failures], watch.Elapsed, _options.Seed);
        Log($"crash loop {(result.Passed ? "PASSED" : "FAILED")}: {result.Rounds} rounds, {result.AcknowledgedWrites} acknowledged writes ({(result.Passed ? "all present after every restart" : "see the failures")}), {result.ProxyResends} calls in flight at a kill completed by the proxy's own resend, {result.RetriedWrites} retried by the writer, {result.Reconnects} client reconnects, {result.Elapsed.TotalSeconds:0.#} s");
        foreach (string failure in result.Failures)
        {
            Log("FAILURE: " + failure);
        }

        return result;
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
