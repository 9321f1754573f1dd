using System.Text.Json;
using Conductor.Abstractions.Wire;

namespace Conductor.Processes;

/// <summary>
/// Runs the conductor binary's data verbs (<c>Conductor.Host.dll instances list ...</c>) as a separate process, the way
/// an operator types them, against one endpoint.
/// </summary>
/// <param name="conductorAssembly">The full path of <c>Conductor.Host.dll</c>.</param>
/// <param name="endpoint">The conductor to talk to, passed as <c>--endpoint</c>.</param>
/// <param name="dataDirectory">
/// The conductor's data directory, passed as <c>--data-dir</c>: the CLI authenticates with the admin credential the
/// conductor wrote there at its first start. Without it, commands are refused by a conductor.
/// </param>
internal sealed class ConductorCli(string conductorAssembly, string endpoint, string? dataDirectory = null)
{
    private static readonly JsonSerializerOptions s_json = ConductorWire.CreateJsonSerializerOptions();

    /// <summary>Gets the endpoint every command is pointed at.</summary>
    public string Endpoint => endpoint;

    /// <summary>Gets how long one command may run before it is killed. Defaults to 60 seconds.</summary>
    public TimeSpan ProcessTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets the seconds a command waits for the conductor (its <c>--timeout</c>). Defaults to 30.</summary>
    public int ConductorTimeoutSeconds { get; init; } = 30;

    /// <summary>Runs one command and collects what it printed.</summary>
    /// <param name="arguments">The verb and its options, for example <c>["services", "list"]</c>.</param>
    /// <param name="cancellationToken">Kills the command.</param>
    /// <returns>The result, whatever the exit code.</returns>
    /// <exception cref="TimeoutException">The command did not finish within <see cref="ProcessTimeout"/> and was killed.</exception>
    public async Task<CliResult> RunAsync(string[] arguments, CancellationToken cancellationToken = default)
    {
        string[] all = [
            .. arguments, "--endpoint", endpoint, "--timeout", ConductorTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            .. dataDirectory is null ? Array.Empty<string>() : ["--data-dir", dataDirectory]];
        string commandLine = string.Join(' ', arguments);
        await using ChildProcess process = ChildProcess.Start("cli", conductorAssembly, all, log: null);
        int exitCode;
        try
        {
            exitCode = await process.WaitForExitAsync(ProcessTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"'conductor {commandLine}' did not finish within {ProcessTimeout.TotalSeconds} s and was killed. It printed: {process.Output}", ex);
        }

        return new CliResult(commandLine, exitCode, process.StandardOutput, process.StandardError);
    }

    /// <summary>Runs one command with <c>--json</c> and reads its output.</summary>
    /// <typeparam name="T">What the command prints.</typeparam>
    /// <param name="arguments">The verb and its options, for example <c>["instances", "list"]</c>.</param>
    /// <param name="cancellationToken">Kills the command.</param>
    /// <returns>The printed value.</returns>
    /// <exception cref="InvalidOperationException">The command failed, or printed something that is not a <typeparamref name="T"/>.</exception>
    public async Task<T> RunJsonAsync<T>(string[] arguments, CancellationToken cancellationToken = default)
    {
        CliResult result = (await RunAsync([.. arguments, "--json"], cancellationToken).ConfigureAwait(false)).EnsureSuccess();
        try
        {
            return JsonSerializer.Deserialize<T>(result.StandardOutput, s_json)
                ?? throw new JsonException("The output was JSON null.");
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"'conductor {result.CommandLine} --json' printed something that is not a {typeof(T).Name}: {ex.Message} Output: {result.StandardOutput}", ex);
        }
    }
}
