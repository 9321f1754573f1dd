using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Conductor.Benchmarks.Listing;

/// <summary>
/// A real <c>Conductor.Host serve</c> process (the executable built next to this program) on a given data directory
/// and a free loopback port, whose resident memory is read from <c>/proc</c>.
/// </summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServeProcess(Process process, string endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    /// <summary>Gets the conductor's TCP endpoint.</summary>
    public string Endpoint { get; }

    /// <summary>Gets the conductor's process id.</summary>
    public int Id => _process.Id;

    /// <summary>Gets the path of the conductor's executable.</summary>
    public static string Executable => Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "Conductor.Host.exe" : "Conductor.Host");

    /// <summary>Starts the conductor and waits until it listens.</summary>
    /// <param name="dataDirectory">The data directory.</param>
    /// <param name="heapLimitMb">A GC heap hard limit for the conductor, in MB, or 0 for none.</param>
    /// <returns>The running conductor.</returns>
    public static async Task<ServeProcess> StartAsync(string dataDirectory, int heapLimitMb)
    {
        var start = new ProcessStartInfo(Executable)
        {
            ArgumentList = { "serve", "--data-dir", dataDirectory, "--tcp", "127.0.0.1:0", "--Logging:LogLevel:Default", "Warning", "--Logging:LogLevel:Conductor.Audit", "Warning" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (heapLimitMb > 0)
        {
            start.Environment["DOTNET_GCHeapHardLimit"] = (heapLimitMb * 1024L * 1024L).ToString("X", CultureInfo.InvariantCulture);
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start the conductor at {Executable}.");
        // Logged at warning level and above only, so anything it says is worth showing.
        DataReceivedEventHandler forward = (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                Console.Error.WriteLine("conductor: " + line);
            }
        };
        process.OutputDataReceived += forward;
        process.ErrorDataReceived += forward;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var serve = new ServeProcess(process, "");
        string endpointsFile = Path.Combine(dataDirectory, "conductor.endpoints.json");
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(120))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The conductor exited with code {process.ExitCode} before it listened; its error output is above.");
            }

            if (File.Exists(endpointsFile))
            {
                using JsonDocument json = JsonDocument.Parse(await File.ReadAllTextAsync(endpointsFile).ConfigureAwait(false));
                if (json.RootElement.TryGetProperty("tcp", out JsonElement tcp) && tcp.GetString() is { Length: > 0 } bound)
                {
                    return new ServeProcess(process, bound);
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100)).ConfigureAwait(false);
        }

        await serve.DisposeAsync().ConfigureAwait(false);
        throw new TimeoutException("The conductor did not publish its endpoint within 120 s.");
    }

    /// <summary>Reads a size field of <c>/proc/PID/status</c> (<c>VmRSS</c>, <c>VmHWM</c>), in bytes.</summary>
    /// <param name="processId">The process.</param>
    /// <param name="field">The field.</param>
    /// <returns>The size, or 0 when the process is gone.</returns>
    public static long ReadStatus(int processId, string field)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{processId}/status"))
            {
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(field.Length + 1).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
            // The process has exited.
        }

        return 0;
    }

    /// <summary>Resets the process's peak resident size (<c>VmHWM</c>) to its current one (Linux's <c>clear_refs</c> 5).</summary>
    /// <param name="processId">The process.</param>
    public static void ResetPeak(int processId) => File.WriteAllText($"/proc/{processId}/clear_refs", "5");

    /// <summary>Stops the conductor (SIGTERM, then kill after 30 s).</summary>
    /// <returns>A task that completes when it has exited.</returns>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (Process term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync().ConfigureAwait(false);
            }

            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(bound.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }
}
