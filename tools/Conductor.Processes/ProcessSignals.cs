using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Conductor.Processes;

/// <summary>Asks a process to stop the way an operator or a service manager does: with SIGTERM.</summary>
internal static partial class ProcessSignals
{
    // SIGTERM is 15 on Linux and macOS alike.
    private const int SigTerm = 15;

    /// <summary>Gets a value indicating whether this system can ask a process to stop (Windows has no SIGTERM: there, stopping kills).</summary>
    public static bool CanTerminate => !OperatingSystem.IsWindows();

    /// <summary>Sends SIGTERM to <paramref name="process"/>.</summary>
    /// <param name="process">The process.</param>
    /// <returns><see langword="false"/> where there are no POSIX signals (Windows) or the process is already gone.</returns>
    public static bool TryTerminate(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        return CanTerminate && Kill(process.Id, SigTerm) == 0;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
