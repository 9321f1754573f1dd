using System.Diagnostics;
using System.Text.Json;

namespace Conductor.LoadGenerator;

/// <summary>
/// The conductor under load: a real <c>Conductor.Host serve</c> process on a temporary data directory and a free
/// loopback port (or one already running), read for CPU time and resident memory.
/// </summary>
internal sealed class ConductorProcess : IAsyncDisposable
{
    private readonly Process? _owned;
    private readonly string? _dataDirectory;

    private ConductorProcess(Process process, string endpoint, Process? owned, string? dataDirectory)
    {
        Process = process;
        Endpoint = endpoint;
        _owned = owned;
        _dataDirectory = dataDirectory;
    }

    /// <summary>Gets the conductor's process.</summary>
    public Process Process { get; }

    /// <summary>Gets the conductor's endpoint.</summary>
    public string Endpoint { get; }

    /// <summary>Gets the admin credential file the conductor wrote at first start (or the one given for a running conductor).</summary>
    public required string AdminCredentialsFile { get; init; }

    /// <summary>Gets the process's total CPU time so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            Process.Refresh();
            return Process.TotalProcessorTime;
        }
    }

    /// <summary>Gets the process's resident memory, in bytes.</summary>
    public long ResidentBytes
    {
        get
        {
            Process.Refresh();
            return Process.WorkingSet64;
        }
    }

    /// <summary>Starts the conductor that ships next to this program, or attaches to a running one.</summary>
    /// <param name="options">The options.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The conductor.</returns>
    public static async Task<ConductorProcess> StartAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        if (options.Endpoint is { } endpoint)
        {
            Process running = Process.GetProcessById(options.ConductorProcessId
                ?? throw new ArgumentException("Give --conductor-pid with --endpoint, so that the conductor's CPU and memory can be read."));
            return new ConductorProcess(running, endpoint, owned: null, dataDirectory: null)
            {
                AdminCredentialsFile = options.AdminCredentialsFile
                    ?? throw new ArgumentException("Give --admin-credentials with --endpoint (the conductor's <data>/admin.credential), so that the hosts' credentials can be issued."),
            };
        }

        string dataDirectory = Path.Combine(Path.GetTempPath(), "conductor-load", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        string host = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "Conductor.Host.exe" : "Conductor.Host");
        var start = new ProcessStartInfo(host)
        {
            ArgumentList = { "serve", "--data-dir", dataDirectory, "--tcp", "127.0.0.1:0", "--Logging:LogLevel:Default", "Warning" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start the conductor at {host}.");
        process.OutputDataReceived += (_, e) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                Console.Error.WriteLine("conductor: " + line);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // The conductor writes its bound endpoints to the data directory once it listens.
        string endpointsFile = Path.Combine(dataDirectory, "conductor.endpoints.json");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The conductor exited with code {process.ExitCode} before it listened; its error output is above.");
            }

            if (File.Exists(endpointsFile))
            {
                using JsonDocument json = JsonDocument.Parse(await File.ReadAllTextAsync(endpointsFile, timeout.Token).ConfigureAwait(false));
                if (json.RootElement.TryGetProperty("tcp", out JsonElement tcp) && tcp.GetString() is { Length: > 0 } bound)
                {
                    return new ConductorProcess(process, bound, process, dataDirectory) { AdminCredentialsFile = Path.Combine(dataDirectory, "admin.credential") };
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token).ConfigureAwait(false);
        }
    }

    /// <summary>Stops a conductor this program started (SIGTERM, then kill after a bound) and deletes its data.</summary>
    /// <returns>A task that completes when it has exited.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_owned is not null)
        {
            if (!_owned.HasExited)
            {
                // A graceful stop: the conductor drains, syncs and releases its lock on SIGTERM.
                using (Process term = Process.Start("kill", ["-TERM", _owned.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                {
                    await term.WaitForExitAsync().ConfigureAwait(false);
                }

                using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                try
                {
                    await _owned.WaitForExitAsync(bound.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    _owned.Kill(entireProcessTree: true);
                }
            }

            _owned.Dispose();
        }

        if (_dataDirectory is not null)
        {
            try
            {
                Directory.Delete(_dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Unique per run; a leftover in the temp directory is harmless.
            }
        }
    }
}
