using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Conductor.Compat.Tests;

/// <summary>
/// Today's conductor in its own process, listening on a free loopback port with its own data directory. Ready when it
/// logs the line that names its endpoint; killed and cleaned up on dispose.
/// </summary>
internal sealed partial class ConductorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private ConductorProcess(Process process, string dataDirectory, bool ownsDataDirectory)
    {
        _process = process;
        DataDirectory = dataDirectory;
        OwnsDataDirectory = ownsDataDirectory;
    }

    /// <summary>Gets whether disposing deletes the data directory (it does when this process made it).</summary>
    public bool OwnsDataDirectory { get; }

    public string DataDirectory { get; }

    public string Endpoint { get; private set; } = string.Empty;

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts a conductor with the given extra settings (for example <c>--Conductor:ApiVersionPins:instances 1.0</c>).</summary>
    public static Task<ConductorProcess> StartAsync(CancellationToken cancellationToken, params string[] settings) =>
        StartAsync(Path.Combine(Path.GetTempPath(), "conductor-compat", Guid.NewGuid().ToString("N")), ownsDataDirectory: true, cancellationToken, settings);

    /// <summary>Starts a conductor on another conductor's data directory, which this one leaves in place when disposed.</summary>
    public static Task<ConductorProcess> StartInAsync(string dataDirectory, CancellationToken cancellationToken, params string[] settings) =>
        StartAsync(dataDirectory, ownsDataDirectory: false, cancellationToken, settings);

    private static async Task<ConductorProcess> StartAsync(string dataDirectory, bool ownsDataDirectory, CancellationToken cancellationToken, string[] settings)
    {
        Process process = Processes.Start(Executables.ConductorHost, ["serve", "--data-dir", dataDirectory, "--tcp", "127.0.0.1:0", .. settings]);
        var conductor = new ConductorProcess(process, dataDirectory, ownsDataDirectory);
        var ready = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => conductor.OnLine(e.Data, ready);
        process.ErrorDataReceived += (_, e) => conductor.OnLine(e.Data, ready);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _ = process.WaitForExitAsync(CancellationToken.None).ContinueWith(_ => ready.TrySetException(new InvalidOperationException("The conductor exited before it listened:\n" + conductor.Log)), TaskScheduler.Default);
        try
        {
            conductor.Endpoint = await ready.Task.WaitAsync(Processes.Timeout, cancellationToken);
            return conductor;
        }
        catch
        {
            await conductor.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills the conductor and keeps its data directory.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        if (!OwnsDataDirectory)
        {
            return ValueTask.CompletedTask;
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Unique per test; a leftover in the temp directory is harmless.
        }

        return ValueTask.CompletedTask;
    }

    [GeneratedRegex(@"Conductor listening on (tcp://[^\s]+)")]
    private static partial Regex ListeningLine();

    private void OnLine(string? line, TaskCompletionSource<string> ready)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }

        if (ListeningLine().Match(line) is { Success: true } match)
        {
            ready.TrySetResult(match.Groups[1].Value);
        }
    }
}
