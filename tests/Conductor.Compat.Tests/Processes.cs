using Conductor.Processes;

namespace Conductor.Compat.Tests;

/// <summary>Runs the executables under test.</summary>
internal static class Processes
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    /// <summary>Starts <c>dotnet <paramref name="dll"/> <paramref name="arguments"/></c>, its output kept line by line.</summary>
    public static ChildProcess Start(string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        ChildProcess.Start(Path.GetFileNameWithoutExtension(dll), dll, arguments, log: null, environment);

    /// <summary>Runs a process to its end (killing it after <see cref="Timeout"/>) and returns what it wrote.</summary>
    public static async Task<ProcessResult> RunAsync(string dll, IEnumerable<string> arguments, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null)
    {
        await using ChildProcess process = Start(dll, arguments, environment);
        int exitCode = await process.WaitForExitAsync(Timeout, cancellationToken);
        return new ProcessResult(exitCode, process.StandardOutput, process.StandardError);
    }

    /// <summary>Runs the frozen 1.0 compute client once.</summary>
    public static Task<ProcessResult> V1ClientAsync(string endpoint, string host, CancellationToken cancellationToken, params string[] verbAndArguments) =>
        RunAsync(
            Executables.ComputeClientV1_0,
            [endpoint, host, .. verbAndArguments],
            cancellationToken,
            new Dictionary<string, string> { ["CONDUCTOR_CREDENTIALS_FILE"] = Credentials.ComputeFile(endpoint, host) });

    /// <summary>Runs one verb of the conductor's command line; a verb given <c>--endpoint</c> authenticates with that conductor's admin credential.</summary>
    public static Task<ProcessResult> ConductorCliAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        int endpoint = Array.IndexOf(arguments, "--endpoint");
        return RunAsync(
            Executables.ConductorHost,
            arguments,
            cancellationToken,
            endpoint < 0 ? null : new Dictionary<string, string> { ["Conductor__CredentialsFile"] = Credentials.AdminFile(arguments[endpoint + 1]) });
    }
}
