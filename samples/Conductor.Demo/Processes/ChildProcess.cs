using System.Diagnostics;
using System.Globalization;

namespace Conductor.Demo.Processes;

/// <summary>
/// A .NET assembly run as its own OS process (<c>dotnet app.dll args</c>), with its output read line by line,
/// kept, and written to a <see cref="ProcessLog"/> under its name. Disposing it kills the process if it still runs.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private static readonly TimeSpan s_killWait = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly ProcessLog? _log;
    private readonly Lock _lock = new();
    private readonly List<string> _lines = [];
    private readonly List<string> _standardOutput = [];
    private readonly List<string> _standardError = [];
    private readonly TaskCompletionSource _outputClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _errorClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(string name, Process process, ProcessLog? log)
    {
        Name = name;
        _process = process;
        _log = log;
        Completion = WaitForCompletionAsync();
    }

    /// <summary>Gets the name its lines are prefixed with.</summary>
    public string Name { get; }

    /// <summary>Gets the process id.</summary>
    public int Id { get; private set; }

    /// <summary>Gets a task that completes once the process has exited and all its output has been read.</summary>
    public Task Completion { get; }

    /// <summary>Gets a value indicating whether the process has exited and all its output has been read.</summary>
    public bool HasExited => Completion.IsCompleted;

    /// <summary>Gets the exit code; only valid once <see cref="HasExited"/>.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Gets the number of lines (standard output and error) read so far: a starting point for <see cref="WaitForLineAsync"/>.</summary>
    public int LineCount
    {
        get
        {
            lock (_lock)
            {
                return _lines.Count;
            }
        }
    }

    /// <summary>Gets what the process wrote to standard output so far.</summary>
    public string StandardOutput => Join(_standardOutput);

    /// <summary>Gets what the process wrote to standard error so far.</summary>
    public string StandardError => Join(_standardError);

    /// <summary>Gets every line it wrote so far, standard output and error interleaved as they arrived.</summary>
    public string Output => Join(_lines);

    /// <summary>Starts <c>dotnet <paramref name="assemblyPath"/> <paramref name="arguments"/></c>.</summary>
    /// <param name="name">The name its lines are prefixed with, for example <c>compute-1</c>.</param>
    /// <param name="assemblyPath">The assembly to run.</param>
    /// <param name="arguments">Its command line.</param>
    /// <param name="log">Where its lines go as they arrive, or <see langword="null"/> to only keep them here.</param>
    /// <param name="environment">Environment variables to set for it, on top of this process's.</param>
    /// <returns>The running process.</returns>
    public static ChildProcess Start(string name, string assemblyPath, IEnumerable<string> arguments, ProcessLog? log, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(DotnetMuxer.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(assemblyPath);
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(name, process, log);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data, child._standardOutput, child._outputClosed);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data, child._standardError, child._errorClosed);
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            process.Dispose();
            throw new InvalidOperationException($"Could not start {name} ('{info.FileName} {assemblyPath}'): {ex.Message}. Check that the .NET SDK's dotnet is installed and on PATH.", ex);
        }

        child.Id = process.Id;

        // Nothing reads its standard input; closing it keeps the process from ever waiting on the terminal.
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits until the process writes a line that contains <paramref name="text"/>.</summary>
    /// <param name="text">The text to look for (ordinal).</param>
    /// <param name="startAt">The first line to look at (a <see cref="LineCount"/> taken earlier), so older lines don't count.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The line.</returns>
    /// <exception cref="TimeoutException">No such line within <paramref name="timeout"/>.</exception>
    /// <exception cref="InvalidOperationException">The process exited without writing it.</exception>
    public async Task<string> WaitForLineAsync(string text, int startAt, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        int next = startAt;
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                for (; next < _lines.Count; next++)
                {
                    if (_lines[next].Contains(text, StringComparison.Ordinal))
                    {
                        return _lines[next];
                    }
                }

                changed = _changed.Task;
            }

            if (HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {ExitCode} before it wrote \"{text}\".");
            }

            try
            {
                await Task.WhenAny(changed, Completion).WaitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cts.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{Name} did not write \"{text}\" within {Seconds(timeout)} s.");
            }
        }
    }

    /// <summary>Waits for the process to exit by itself.</summary>
    /// <param name="timeout">How long to wait; after that the process is killed.</param>
    /// <param name="cancellationToken">Kills the process and stops waiting.</param>
    /// <returns>Its exit code.</returns>
    /// <exception cref="TimeoutException">It had not exited within <paramref name="timeout"/> and was killed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the process was killed.</exception>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        await WaitOrKillAsync(timeout, $"did not exit within {Seconds(timeout)} s", cancellationToken).ConfigureAwait(false);
        return ExitCode;
    }

    /// <summary>Stops the process with SIGTERM (a kill where there are no signals) and waits for it to exit.</summary>
    /// <param name="timeout">How long it may take to stop; after that it is killed.</param>
    /// <param name="cancellationToken">Kills the process and stops waiting.</param>
    /// <returns>Its exit code.</returns>
    /// <exception cref="TimeoutException">It had not exited within <paramref name="timeout"/> of SIGTERM and was killed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the process was killed.</exception>
    public async Task<int> StopAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (!HasExited && !ProcessSignals.TryTerminate(_process))
        {
            await KillAsync().ConfigureAwait(false);
            return ExitCode;
        }

        await WaitOrKillAsync(timeout, $"did not exit within {Seconds(timeout)} s of SIGTERM", cancellationToken).ConfigureAwait(false);
        return ExitCode;
    }

    /// <summary>Kills the process (and anything it started) and waits for it to be gone.</summary>
    /// <returns>A task that completes when it has exited.</returns>
    public async Task KillAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        try
        {
            await Completion.WaitAsync(s_killWait).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A process that outlives SIGKILL this long is the kernel's business; there is nothing more to do here.
        }
    }

    /// <summary>Kills the process if it still runs.</summary>
    /// <returns>A task that completes when it is gone.</returns>
    public async ValueTask DisposeAsync()
    {
        if (!HasExited)
        {
            await KillAsync().ConfigureAwait(false);
        }

        _process.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} (process {Id})";

    private static string Seconds(TimeSpan timeout) => timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);

    private async Task WaitForCompletionAsync()
    {
        // Both streams close only after the process has started, which Process.WaitForExitAsync needs.
        await Task.WhenAll(_outputClosed.Task, _errorClosed.Task).ConfigureAwait(false);
        await _process.WaitForExitAsync().ConfigureAwait(false);
        Pulse();
    }

    private async Task WaitOrKillAsync(TimeSpan timeout, string failure, CancellationToken cancellationToken)
    {
        try
        {
            await Completion.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await KillAsync().ConfigureAwait(false);
            throw new TimeoutException($"{this} {failure}, so it was killed.");
        }
        catch (OperationCanceledException)
        {
            await KillAsync().ConfigureAwait(false);
            throw;
        }
    }

    private string Join(List<string> lines)
    {
        lock (_lock)
        {
            return string.Join(Environment.NewLine, lines);
        }
    }

    private void OnLine(string? line, List<string> stream, TaskCompletionSource closed)
    {
        if (line is null)
        {
            closed.TrySetResult();
            Pulse();
            return;
        }

        lock (_lock)
        {
            _lines.Add(line);
            stream.Add(line);
        }

        _log?.Write(Name, line);
        Pulse();
    }

    private void Pulse()
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }
}
