using System.Globalization;

namespace Conductor.EndToEnd.Tests;

/// <summary>Reads a process's children from Linux's <c>/proc</c>.</summary>
internal static class LinuxProcessTree
{
    /// <summary>Gets whether this system lists children in <c>/proc/PID/task/TID/children</c>.</summary>
    public static bool IsSupported => File.Exists($"/proc/{Environment.ProcessId}/task/{Environment.ProcessId}/children");

    /// <summary>Lists the direct children of a process (each thread's, since any thread may have started one).</summary>
    /// <param name="pid">The parent.</param>
    /// <returns>The children's process ids.</returns>
    public static IReadOnlyList<int> ChildrenOf(int pid) =>
        [.. Directory.EnumerateDirectories($"/proc/{pid}/task")
            .Select(task => Path.Combine(task, "children"))
            .Where(File.Exists)
            .SelectMany(file => File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(id => int.Parse(id, CultureInfo.InvariantCulture))];

    /// <summary>Gets whether a process runs (and is not a zombie waiting to be reaped).</summary>
    /// <param name="pid">The process.</param>
    /// <returns><see langword="true"/> if it runs.</returns>
    public static bool IsRunning(int pid)
    {
        try
        {
            // The state is the field after the parenthesised command name.
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
