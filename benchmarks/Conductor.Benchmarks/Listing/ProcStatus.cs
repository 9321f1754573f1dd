using System.Globalization;

namespace Conductor.Benchmarks.Listing;

/// <summary>Reads and resets a process's resident-memory figures in <c>/proc</c> (Linux).</summary>
internal static class ProcStatus
{
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
}
