using System.Globalization;
using System.Text.Json;

namespace Conductor.Processes;

/// <summary>
/// A conductor and compute hosts on this machine, each its own OS process started as a user starts it
/// (<c>dotnet Conductor.Host.dll serve ...</c>, <c>dotnet Compute.Host.dll --Conductor:Endpoint ...</c>), on a free
/// loopback port and a fresh temporary data directory, with the conductor's CLI pointed at it. Disposing it kills
/// whatever still runs and deletes the directory (unless <see cref="KeepData"/>).
/// </summary>
internal sealed partial class LocalCluster : IAsyncDisposable
{
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(250);

    // One line per log message with a timestamp, so prefixed output reads well and lines can be waited for.
    private static readonly Dictionary<string, string> s_defaultEnvironment = new(StringComparer.Ordinal)
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
    private readonly Dictionary<string, string> _environment = new(s_defaultEnvironment, StringComparer.Ordinal);

    private LocalCluster(HostBinaries binaries, ProcessLog log, string rootDirectory, int port)
    {
        Binaries = binaries;
        _log = log;
        RootDirectory = rootDirectory;
        Port = port;
        Cli = new ConductorCli(binaries.ConductorHost, Endpoint, DataDirectory);
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

    /// <summary>Gets or sets how long one step (a start, a wait, a stop) may take. Defaults to 60 seconds.</summary>
    public TimeSpan StepTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Gets the environment variables every process started from now on gets, on top of this process's: by default
    /// single-line console logs with timestamps. Add to it (for example <c>DOTNET_gcServer=0</c>) before starting.
    /// </summary>
    public IDictionary<string, string> ProcessEnvironment => _environment;

    /// <summary>Gets more options for <c>serve</c> that <see cref="StartConductorAsync"/> passes to every conductor it starts.</summary>
    public IList<string> ConductorArguments { get; } = [];

    /// <summary>Makes the cluster's directory and picks a free port. Nothing runs yet.</summary>
    /// <param name="binaries">The hosts' assemblies.</param>
    /// <param name="log">Where the processes' output goes.</param>
    /// <param name="rootDirectory">
    /// The directory for everything of this cluster (made if missing, deleted on disposal unless <see cref="KeepData"/>),
    /// or <see langword="null"/> for a new temporary one.
    /// </param>
    /// <returns>The cluster.</returns>
    public static LocalCluster Create(HostBinaries binaries, ProcessLog log, string? rootDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(binaries);
        ArgumentNullException.ThrowIfNull(log);
        string root = Path.GetFullPath(rootDirectory ?? Path.Combine(Path.GetTempPath(), "conductor-demo-" + Guid.NewGuid().ToString("N")[..12]));
        Directory.CreateDirectory(root);
        return new LocalCluster(binaries, log, root, FreeTcpPort.Pick());
    }

    /// <summary>Starts a conductor process on <see cref="DataDirectory"/> without waiting for it.</summary>
    /// <param name="name">The name its output lines carry.</param>
    /// <param name="tcpAddress">Where it listens (<c>address:port</c>), usually <see cref="TcpAddress"/>.</param>
    /// <param name="extraArguments">More options for <c>serve</c>.</param>
    /// <returns>The process; it is killed when the cluster is disposed.</returns>
    public ChildProcess LaunchConductor(string name, string tcpAddress, params string[] extraArguments) =>
        Track(ChildProcess.Start(name, Binaries.ConductorHost, ["serve", "--data-dir", DataDirectory, "--tcp", tcpAddress, .. extraArguments], _log, _environment));

    /// <summary>
    /// Starts the conductor (with <see cref="ConductorArguments"/>) on <see cref="TcpAddress"/> and waits until it listens:
    /// it has written <c>conductor.endpoints.json</c>, naming its own process, into the data directory. After a
    /// conductor was stopped or killed, this starts the next one at the same address on the same data.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting (the process is killed when the cluster is disposed).</param>
    /// <returns>The running conductor.</returns>
    public async Task<ChildProcess> StartConductorAsync(CancellationToken cancellationToken = default)
    {
        if (Conductor is { HasExited: false })
        {
            throw new InvalidOperationException($"A conductor ({Conductor}) is already running; stop it first.");
        }

        ChildProcess conductor = LaunchConductor("conductor", TcpAddress, [.. ConductorArguments]);
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

    /// <summary>
    /// Issues a compute host's credential through the running conductor, as an operator does
    /// (<c>conductor hosts add &lt;host&gt; --out &lt;file&gt;</c>), into <see cref="RootDirectory"/>.
    /// </summary>
    /// <param name="hostName">The compute host.</param>
    /// <param name="cancellationToken">Kills the command.</param>
    /// <returns>The credential file (mode 0600).</returns>
    public async Task<string> IssueCredentialAsync(string hostName, CancellationToken cancellationToken = default)
    {
        string file = CredentialFile(hostName);
        (await Cli.RunAsync(["hosts", "add", hostName, "--out", file], cancellationToken).ConfigureAwait(false)).EnsureSuccess();
        return file;
    }

    /// <summary>Gets where <see cref="IssueCredentialAsync"/> writes a host's credential.</summary>
    /// <param name="hostName">The compute host.</param>
    /// <returns>The path.</returns>
    public string CredentialFile(string hostName) => Path.Combine(RootDirectory, hostName + ".cred");

    /// <summary>
    /// Starts a compute host process pointed at <see cref="Endpoint"/> with its credential
    /// (<c>Conductor:CredentialsFile</c>), issuing the credential first if it has none yet.
    /// </summary>
    /// <param name="hostName">Its host name (<c>Conductor:HostName</c>), also the name its output lines carry.</param>
    /// <param name="settings">More settings, for example <c>--Compute:SpawnTime 00:00:01</c>.</param>
    /// <param name="cancellationToken">Kills the issuing command.</param>
    /// <returns>The process; it is killed when the cluster is disposed.</returns>
    public async Task<ChildProcess> StartComputeAsync(string hostName, string[] settings, CancellationToken cancellationToken = default)
    {
        string credential = File.Exists(CredentialFile(hostName)) ? CredentialFile(hostName) : await IssueCredentialAsync(hostName, cancellationToken).ConfigureAwait(false);
        ChildProcess host = Track(ChildProcess.Start(
            hostName,
            Binaries.ComputeHost,
            ["--Conductor:Endpoint", Endpoint, "--Conductor:HostName", hostName, "--Conductor:CredentialsFile", credential, .. settings],
            _log,
            _environment));
        _computeHosts.Add(host);
        _expectedRunning.Add(host);
        return host;
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
