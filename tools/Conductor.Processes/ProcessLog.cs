namespace Conductor.Processes;

/// <summary>
/// Every line the child processes print, in the order they arrived, each prefixed with its process's name
/// (<c>[compute-1] ...</c>); optionally echoed to a writer as it arrives.
/// </summary>
/// <param name="echo">Where to echo lines as they arrive, or <see langword="null"/> to only keep them.</param>
internal sealed class ProcessLog(TextWriter? echo)
{
    private readonly List<string> _lines = [];
    private readonly Lock _lock = new();

    /// <summary>Gets a copy of every line so far.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lock)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Records one line of a process's output.</summary>
    /// <param name="source">The process's name.</param>
    /// <param name="line">The line.</param>
    public void Write(string source, string line)
    {
        string text = $"[{source}] {line}";
        lock (_lock)
        {
            // Under the lock, so lines of different processes never interleave mid-line.
            _lines.Add(text);
            echo?.WriteLine(text);
        }
    }

    /// <summary>Records text as it is, without a prefix (a table a command printed).</summary>
    /// <param name="text">The text; it may span lines.</param>
    public void WriteRaw(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        lock (_lock)
        {
            _lines.AddRange(text.Split(Environment.NewLine));
            echo?.WriteLine(text);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => string.Join(Environment.NewLine, Lines);
}
