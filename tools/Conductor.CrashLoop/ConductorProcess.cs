using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Conductor.CrashLoop;

/// <summary>
/// The real conductor (<c>Conductor.Host.dll serve</c>) as a child process on a fixed loopback port and data
/// directory, so that it can be killed and started again at the same address. Its output goes to a log file.
/// </summary>
public sealed class ConductorProcess : IAsyncDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;

    private ConductorProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    /// <summary>Gets the TCP port the conductor listens on.</summary>
    public int Port { get; }

    /// <summary>Gets the endpoint clients connect to.</summary>
    public string Endpoint => string.Create(CultureInfo.InvariantCulture, $"tcp://127.0.0.1:{Port}");

    /// <summary>Gets the process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Gets whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Returns a free loopback port.</summary>
    /// <returns>The port.</returns>
    public static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>Returns the path of <c>Conductor.Host.dll</c> beside this assembly.</summary>
    /// <returns>The path.</returns>
    public static string DefaultConductorPath() => Path.Combine(AppContext.BaseDirectory, "Conductor.Host.dll");

    /// <summary>Starts the conductor and waits until it listens (its endpoints file names this process).</summary>
    /// <param name="conductorDll">The path of <c>Conductor.Host.dll</c>.</param>
    /// <param name="dataDirectory">The data directory.</param>
    /// <param name="port">The TCP port.</param>
    /// <param name="logFile">Where the conductor's output goes (appended).</param>
    /// <param name="extraArguments">More <c>--Conductor:Name value</c> settings.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The running conductor.</returns>
    /// <exception cref="InvalidOperationException">The conductor exited or did not listen within 60 seconds; the message carries its output.</exception>
    public static async Task<ConductorProcess> StartAsync(string conductorDll, string dataDirectory, int port, string logFile, IEnumerable<string>? extraArguments = null, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { conductorDll, "serve", "--data-dir", dataDirectory, "--tcp", string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}") }
            .Concat(extraArguments ?? []))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_gcServer"] = "0";
        string endpointsFile = Path.Combine(Path.GetFullPath(dataDirectory), "conductor.endpoints.json");
        var process = Process.Start(start) ?? throw new InvalidOperationException("The conductor process could not be started.");
        var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        var output = new object();
        void Write(string? line)
        {
            if (line is not null)
            {
                lock (output)
                {
                    log.WriteLine(line);
                }
            }
        }

        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.Exited += (_, _) =>
        {
            lock (output)
            {
                log.Dispose();
            }
        };
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var conductor = new ConductorProcess(process, port);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_startTimeout);
        try
        {
            while (!IsListening(endpointsFile, process.Id))
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"The conductor exited with code {process.ExitCode} before listening; see {logFile}: {Tail(logFile)}");
                }

                await Task.Delay(50, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await conductor.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"The conductor did not listen within {s_startTimeout.TotalSeconds} s; see {logFile}: {Tail(logFile)}");
        }
        catch
        {
            await conductor.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return conductor;
    }

    /// <summary>Kills the conductor with SIGKILL (no graceful stop, no final sync) and waits until it is gone.</summary>
    /// <returns>A task that completes when the process has exited.</returns>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }

        await _process.WaitForExitAsync().ConfigureAwait(false);
    }

    /// <summary>Asks the conductor to stop (SIGTERM) and waits for it, killing it if it takes longer than <paramref name="timeout"/>.</summary>
    /// <param name="timeout">How long a graceful stop may take.</param>
    /// <returns>The exit code, or <see langword="null"/> if it had to be killed.</returns>
    public async Task<int?> StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return _process.ExitCode;
        }

        using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false }))
        {
            await kill!.WaitForExitAsync().ConfigureAwait(false);
        }

        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            await KillAsync().ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>Kills the conductor if it still runs and releases the process handle.</summary>
    /// <returns>A task that completes when done.</returns>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync().ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }

        _process.Dispose();
    }

    private static bool IsListening(string endpointsFile, int processId)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(endpointsFile));
            return document.RootElement.TryGetProperty("processId", out JsonElement id) && id.GetInt32() == processId;
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string Tail(string logFile)
    {
        try
        {
            string[] lines = File.ReadAllLines(logFile);
            return string.Join(Environment.NewLine, lines.TakeLast(20));
        }
        catch (IOException)
        {
            return "(no output)";
        }
    }
}
