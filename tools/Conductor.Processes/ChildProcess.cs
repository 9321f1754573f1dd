using System.Diagnostics;

namespace Conductor.Processes;

/// <summary>
/// A .NET assembly run as its own OS process (<c>dotnet app.dll args</c>), with its output read line by line,
/// kept, and written to a <see cref="ProcessLog"/> under its name. Disposing it kills the process if it still runs.
/// </summary>
internal sealed partial class ChildProcess : IAsyncDisposable
{
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
            // Read before the lines: once it has exited, every line it wrote is already in the list.
            bool exited = HasExited;
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

            if (exited)
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

    /// <inheritdoc/>
    public override string ToString() => $"{Name} (process {Id})";

    private async Task WaitForCompletionAsync()
    {
        // Both streams close only after the process has started, which Process.WaitForExitAsync needs.
        await Task.WhenAll(_outputClosed.Task, _errorClosed.Task).ConfigureAwait(false);
        await _process.WaitForExitAsync().ConfigureAwait(false);
        Pulse();
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
