using System.Diagnostics;

namespace Conductor.Compat.Tests;

/// <summary>Runs the executables under test.</summary>
internal static class Processes
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    public static Process Start(string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(Executables.Dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"Could not start {dll}.");
    }

    /// <summary>Runs a process to its end and returns what it wrote.</summary>
    public static async Task<ProcessResult> RunAsync(string dll, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        using Process process = Start(dll, arguments);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        Task<string> output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        Task<string> error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new ProcessResult(process.ExitCode, await output, await error);
    }

    /// <summary>Runs the frozen 1.0 compute client once.</summary>
    public static Task<ProcessResult> V1ClientAsync(string endpoint, string host, CancellationToken cancellationToken, params string[] verbAndArguments) =>
        RunAsync(Executables.ComputeClientV1_0, [endpoint, host, .. verbAndArguments], cancellationToken);

    /// <summary>Runs one verb of the conductor's command line.</summary>
    public static Task<ProcessResult> ConductorCliAsync(CancellationToken cancellationToken, params string[] arguments) =>
        RunAsync(Executables.ConductorHost, arguments, cancellationToken);
}
