namespace Conductor.Processes;

/// <summary>What one run of the conductor's command line did.</summary>
/// <param name="CommandLine">The verb and options it was given, for messages.</param>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="StandardOutput">What it printed on standard output.</param>
/// <param name="StandardError">What it printed on standard error.</param>
internal sealed record CliResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Returns this result if the command succeeded.</summary>
    /// <returns>This result.</returns>
    /// <exception cref="InvalidOperationException">The exit code was not 0; the message holds what it printed on standard error.</exception>
    public CliResult EnsureSuccess() =>
        ExitCode == 0
            ? this
            : throw new InvalidOperationException($"'conductor {CommandLine}' failed with exit code {ExitCode}: {StandardError.Trim()}");
}
