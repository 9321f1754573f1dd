using System.Globalization;
using System.Text.Json;
using Conductor.Abstractions.Compute;

namespace Conductor.Demo.Processes;

/// <summary>
/// A conductor and compute hosts on this machine, each its own OS process started as a user starts it
/// (<c>dotnet Conductor.Host.dll serve ...</c>, <c>dotnet Compute.Host.dll --Conductor:Endpoint ...</c>), on a free
/// loopback port and a fresh temporary data directory, with the conductor's CLI pointed at it. Disposing it kills
/// whatever still runs and deletes the directory (unless <see cref="KeepData"/>).
/// </summary>
internal sealed class LocalCluster : IAsyncDisposable
{
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(250);

    // One line per log message with a timestamp, so prefixed output reads well and lines can be waited for.
    private static readonly Dictionary<string, string> s_environment = new(StringComparer.Ordinal)
    {
        ["Logging__Console__FormatterName"] = "simple",
        ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
        ["Logging__Console__FormatterOptions__ColorBehavior"] = "Disabled",
    };

    private readonly ProcessLog _log;
    private readonly List<ChildProcess> _started = [];
    private readonly List<ChildProcess> _expectedRunning = [];
    private readonly List<ChildProcess> _computeHosts = [];

    private LocalCluster(HostBinaries binaries, ProcessLog log, string rootDirectory, int port)
    {
        Binaries = binaries;
        _log = log;
        RootDirectory = rootDirectory;
        Port = port;
        Cli = new ConductorCli(binaries.ConductorHost, Endpoint);
    }

    /// <summary>Gets the hosts' assemblies.</summary>
    public HostBinaries Binaries { get; }

    /// <summary>Gets the temporary directory that holds everything of this cluster.</summary>
    public string RootDirectory { get; }

    /// <summary>Gets the conductor's data directory (under <see cref="RootDirectory"/>).</summary>
    public string DataDirectory => Path.Combine(RootDirectory, "data");

    /// <summary>Gets the loopback port the conductor listens on.</summary>
    public int Port { get; }

    /// <summary>Gets the conductor's TCP listen address, <c>127.0.0.1:port</c>.</summary>
    public string TcpAddress => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    /// <summary>Gets the conductor's endpoint as clients write it, <c>tcp://127.0.0.1:port</c>.</summary>
    public string Endpoint => "tcp://" + TcpAddress;

    /// <summary>Gets the conductor's command line, pointed at <see cref="Endpoint"/>.</summary>
    public ConductorCli Cli { get; }

    /// <summary>Gets the conductor started last by <see cref="StartConductorAsync"/>, if any.</summary>
    public ChildProcess? Conductor { get; private set; }

    /// <summary>Gets the compute hosts started so far.</summary>
    public IReadOnlyList<ChildProcess> ComputeHosts => _computeHosts;

    /// <summary>Gets or sets a value indicating whether disposing leaves <see cref="RootDirectory"/> in place.</summary>
    public bool KeepData { get; set; }

    /// <summary>Gets how long one step (a start, a wait) may take. Defaults to 60 seconds.</summary>
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Makes a new temporary directory and picks a free port. Nothing runs yet.</summary>
    /// <param name="binaries">The hosts' assemblies.</param>
    /// <param name="log">Where the processes' output goes.</param>
    /// <returns>The cluster.</returns>
    public static LocalCluster Create(HostBinaries binaries, ProcessLog log)
    {
        ArgumentNullException.ThrowIfNull(binaries);
        ArgumentNullException.ThrowIfNull(log);
        string root = Path.Combine(Path.GetTempPath(), "conductor-demo-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        return new LocalCluster(binaries, log, root, FreeTcpPort.Pick());
    }

    /// <summary>Starts a conductor process on <see cref="DataDirectory"/> without waiting for it.</summary>
    /// <param name="name">The name its output lines carry.</param>
    /// <param name="tcpAddress">Where it listens (<c>address:port</c>), usually <see cref="TcpAddress"/>.</param>
    /// <param name="extraArguments">More options for <c>serve</c>.</param>
    /// <returns>The process; it is killed when the cluster is disposed.</returns>
    public ChildProcess LaunchConductor(string name, string tcpAddress, params string[] extraArguments) =>
        Track(ChildProcess.Start(name, Binaries.ConductorHost, ["serve", "--data-dir", DataDirectory, "--tcp", tcpAddress, .. extraArguments], _log, s_environment));

    /// <summary>
    /// Starts the conductor and waits until it listens: it has written <c>conductor.endpoints.json</c>, naming its own
    /// process, into the data directory.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting (the process is killed when the cluster is disposed).</param>
    /// <returns>The running conductor.</returns>
    public async Task<ChildProcess> StartConductorAsync(CancellationToken cancellationToken = default)
    {
        if (Conductor is { HasExited: false })
        {
            throw new InvalidOperationException($"A conductor ({Conductor}) is already running; stop it first.");
        }

        ChildProcess conductor = LaunchConductor("conductor", TcpAddress);
        Conductor = conductor;
        _expectedRunning.Add(conductor);
        string endpointsFile = Path.Combine(DataDirectory, "conductor.endpoints.json");
        await Poll.UntilAsync(
            $"the conductor to write {endpointsFile}",
            StepTimeout,
            TimeSpan.FromMilliseconds(100),
            () =>
            {
                EnsureRunning();
                return Task.FromResult(PublishedProcessId(endpointsFile));
            },
            pid => pid == conductor.Id,
            pid => pid is null ? "no file yet" : $"a file of process {pid}",
            cancellationToken).ConfigureAwait(false);
        return conductor;
    }

    /// <summary>Starts a compute host process pointed at <see cref="Endpoint"/>.</summary>
    /// <param name="hostName">Its host name (<c>Conductor:HostName</c>), also the name its output lines carry.</param>
    /// <param name="settings">More settings, for example <c>--Compute:SpawnTime 00:00:01</c>.</param>
    /// <returns>The process; it is killed when the cluster is disposed.</returns>
    public ChildProcess StartCompute(string hostName, params string[] settings)
    {
        ChildProcess host = Track(ChildProcess.Start(
            hostName,
            Binaries.ComputeHost,
            ["--Conductor:Endpoint", Endpoint, "--Conductor:HostName", hostName, .. settings],
            _log,
            s_environment));
        _computeHosts.Add(host);
        _expectedRunning.Add(host);
        return host;
    }

    /// <summary>Lists the services through the CLI (<c>services list --json</c>).</summary>
    /// <param name="cancellationToken">Kills the command.</param>
    /// <returns>The services.</returns>
    public Task<List<ServiceStatus>> ListServicesAsync(CancellationToken cancellationToken = default) =>
        Cli.RunJsonAsync<List<ServiceStatus>>(["services", "list"], cancellationToken);

    /// <summary>Lists the instances through the CLI (<c>instances list --json</c>).</summary>
    /// <param name="cancellationToken">Kills the command.</param>
    /// <returns>The instances.</returns>
    public Task<List<Instance>> ListInstancesAsync(CancellationToken cancellationToken = default) =>
        Cli.RunJsonAsync<List<Instance>>(["instances", "list"], cancellationToken);

    /// <summary>Creates instances through the CLI (<c>instances create --name NAME --count N --json</c>).</summary>
    /// <param name="name">The name; with more than one, <c>-1</c>, <c>-2</c>, ... are appended.</param>
    /// <param name="count">How many.</param>
    /// <param name="cancellationToken">Kills the command.</param>
    /// <returns>The created instances.</returns>
    public Task<List<Instance>> CreateInstancesAsync(string name, int count, CancellationToken cancellationToken = default) =>
        Cli.RunJsonAsync<List<Instance>>(["instances", "create", "--name", name, "--count", count.ToString(CultureInfo.InvariantCulture)], cancellationToken);

    /// <summary>Waits until the services list shows every named host up and reporting its capacity (so it can be scheduled onto).</summary>
    /// <param name="hostNames">The hosts.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The services list that showed it.</returns>
    public Task<List<ServiceStatus>> WaitForServicesUpAsync(IReadOnlyCollection<string> hostNames, CancellationToken cancellationToken = default) =>
        Poll.UntilAsync(
            $"{string.Join(", ", hostNames)} to be up in the services list",
            StepTimeout,
            s_pollInterval,
            async () =>
            {
                EnsureRunning();
                return await ListServicesAsync(cancellationToken).ConfigureAwait(false);
            },
            services => hostNames.All(h => services.Any(s => s.Service.Host == h && s.IsUp && s.Node is not null)),
            services => services.Count == 0
                ? "no services"
                : string.Join(", ", services.Select(s => $"{s.Service.Host} {(s.IsUp ? "up" : "down")}{(s.Node is null ? " (no capacity report yet)" : "")}")),
            cancellationToken);

    /// <summary>Waits until every given instance is active, failing at once if one goes into the error state.</summary>
    /// <param name="instanceIds">The instances.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The instances list that showed it.</returns>
    public Task<List<Instance>> WaitForInstancesActiveAsync(IReadOnlyCollection<Guid> instanceIds, CancellationToken cancellationToken = default) =>
        Poll.UntilAsync(
            $"{instanceIds.Count} instance(s) to become active",
            StepTimeout,
            s_pollInterval,
            async () =>
            {
                EnsureRunning();
                List<Instance> instances = await ListInstancesAsync(cancellationToken).ConfigureAwait(false);
                if (instances.FirstOrDefault(i => instanceIds.Contains(i.Id) && i.VmState == VmState.Error) is { } failed)
                {
                    throw new InvalidOperationException($"Instance {failed.Name} ({failed.Id}) on {failed.Host} went into the error state.");
                }

                return instances;
            },
            instances => instanceIds.All(id => instances.Any(i => i.Id == id && i.VmState == VmState.Active)),
            instances => string.Join(", ", instances.Where(i => instanceIds.Contains(i.Id)).Select(i => $"{i.Name} on {i.Host}: {i.VmState}/{i.TaskState}")),
            cancellationToken);

    /// <summary>
    /// Waits until every host's latest resource report counts the vCPUs of the given instances placed on it. Hosts
    /// report usage with their heartbeat, so the services list lags the instance list by up to one heartbeat interval.
    /// </summary>
    /// <param name="instances">Active instances.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The services list that showed it.</returns>
    public Task<List<ServiceStatus>> WaitForUsageReportedAsync(IReadOnlyCollection<Instance> instances, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instances);
        Dictionary<string, int> expected = instances.GroupBy(i => i.Host, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(i => i.Flavor.Vcpus), StringComparer.Ordinal);
        return Poll.UntilAsync(
            "every compute host to report the vCPUs its instances use",
            StepTimeout,
            s_pollInterval,
            async () =>
            {
                EnsureRunning();
                return await ListServicesAsync(cancellationToken).ConfigureAwait(false);
            },
            services => expected.All(e => services.Any(s => s.Service.Host == e.Key && s.Node?.VcpusUsed == e.Value)),
            services => string.Join(", ", services.Select(s => $"{s.Service.Host} reports {s.Node?.VcpusUsed.ToString(CultureInfo.InvariantCulture) ?? "nothing"} vCPUs used")),
            cancellationToken);
    }

    /// <summary>Stops one process with SIGTERM and checks that it exits with code 0 in time.</summary>
    /// <param name="process">The process.</param>
    /// <param name="cancellationToken">Kills the process and stops waiting.</param>
    /// <returns>A task that completes when it has exited.</returns>
    /// <exception cref="InvalidOperationException">It exited with another code.</exception>
    /// <exception cref="TimeoutException">It did not exit within <see cref="StepTimeout"/> and was killed.</exception>
    public async Task StopAsync(ChildProcess process, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(process);
        _expectedRunning.Remove(process);
        int exitCode = await process.StopAsync(StepTimeout, cancellationToken).ConfigureAwait(false);

        // Where there is no SIGTERM the process was killed, so its exit code says nothing about a clean stop.
        if (exitCode != 0 && ProcessSignals.CanTerminate)
        {
            throw new InvalidOperationException($"{process} exited with code {exitCode} after SIGTERM instead of 0.");
        }
    }

    /// <summary>Stops every compute host, then the conductor, each with SIGTERM, and checks that each exits with code 0.</summary>
    /// <param name="cancellationToken">Kills the processes and stops waiting.</param>
    /// <returns>A task that completes when all have exited.</returns>
    /// <exception cref="AggregateException">One or more did not stop cleanly; each is named.</exception>
    public async Task StopAllAsync(CancellationToken cancellationToken = default)
    {
        var failures = new List<Exception>();
        foreach (Task stop in _computeHosts.Where(h => !h.HasExited).Select(h => StopAsync(h, cancellationToken)).ToList())
        {
            try
            {
                await stop.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
            {
                failures.Add(ex);
            }
        }

        if (Conductor is { HasExited: false } conductor)
        {
            try
            {
                await StopAsync(conductor, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
            {
                failures.Add(ex);
            }
        }

        if (failures.Count > 0)
        {
            throw new AggregateException(string.Join(" ", failures.Select(f => f.Message)), failures);
        }
    }

    /// <summary>Throws if a process that should be running has exited.</summary>
    /// <exception cref="InvalidOperationException">One has; the message names it and holds its last lines.</exception>
    public void EnsureRunning()
    {
        if (_expectedRunning.FirstOrDefault(p => p.HasExited) is { } dead)
        {
            string[] lines = dead.Output.Split(Environment.NewLine);
            throw new InvalidOperationException(
                $"{dead} exited unexpectedly with code {dead.ExitCode}. Its last output:{Environment.NewLine}{string.Join(Environment.NewLine, lines.TakeLast(15))}");
        }
    }

    /// <summary>Kills whatever still runs and deletes <see cref="RootDirectory"/> unless <see cref="KeepData"/>.</summary>
    /// <returns>A task that completes when everything is gone.</returns>
    public async ValueTask DisposeAsync()
    {
        foreach (ChildProcess process in _started)
        {
            await process.DisposeAsync().ConfigureAwait(false);
        }

        if (!KeepData)
        {
            try
            {
                Directory.Delete(RootDirectory, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
                // Already gone.
            }
        }
    }

    private static int? PublishedProcessId(string endpointsFile)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(endpointsFile));
            return document.RootElement.TryGetProperty("processId", out JsonElement pid) && pid.TryGetInt32(out int id) ? id : null;
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            // Not written yet (the conductor writes it whole, with a rename, so a half file is not expected).
            return null;
        }
    }

    private ChildProcess Track(ChildProcess process)
    {
        _started.Add(process);
        return process;
    }
}
