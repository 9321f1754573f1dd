using System.Text.RegularExpressions;
using Conductor.Processes;

namespace Conductor.Compat.Tests;

/// <summary>
/// Today's conductor in its own process, listening on a free loopback port with its own data directory. Ready when it
/// logs the line that names its endpoint; killed and cleaned up on dispose.
/// </summary>
internal sealed partial class ConductorProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private ConductorProcess(ChildProcess process, string dataDirectory, bool ownsDataDirectory)
    {
        _process = process;
        DataDirectory = dataDirectory;
        OwnsDataDirectory = ownsDataDirectory;
    }

    /// <summary>Gets whether disposing deletes the data directory (it does when this process made it).</summary>
    public bool OwnsDataDirectory { get; }

    public string DataDirectory { get; }

    public string Endpoint { get; private set; } = string.Empty;

    public string Log => _process.Output;

    /// <summary>Starts a conductor with the given extra settings (for example <c>--Conductor:ApiVersionPins:instances 1.0</c>).</summary>
    public static Task<ConductorProcess> StartAsync(CancellationToken cancellationToken, params string[] settings) =>
        StartAsync(Path.Combine(Path.GetTempPath(), "conductor-compat", Guid.NewGuid().ToString("N")), ownsDataDirectory: true, cancellationToken, settings);

    /// <summary>Starts a conductor on another conductor's data directory, which this one leaves in place when disposed.</summary>
    public static Task<ConductorProcess> StartInAsync(string dataDirectory, CancellationToken cancellationToken, params string[] settings) =>
        StartAsync(dataDirectory, ownsDataDirectory: false, cancellationToken, settings);

    private static async Task<ConductorProcess> StartAsync(string dataDirectory, bool ownsDataDirectory, CancellationToken cancellationToken, string[] settings)
    {
        ChildProcess process = Processes.Start(Executables.ConductorHost, ["serve", "--data-dir", dataDirectory, "--tcp", "127.0.0.1:0", .. settings]);
        var conductor = new ConductorProcess(process, dataDirectory, ownsDataDirectory);
        try
        {
            string listening = await process.WaitForLineAsync("Conductor listening on ", 0, Processes.Timeout, cancellationToken);
            conductor.Endpoint = ListeningLine().Match(listening).Groups[1].Value;
            Credentials.Register(conductor.Endpoint, dataDirectory);
            return conductor;
        }
        catch (InvalidOperationException ex)
        {
            await conductor.DisposeAsync();
            throw new InvalidOperationException("The conductor exited before it listened:\n" + process.Output, ex);
        }
        catch
        {
            await conductor.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills the conductor and keeps its data directory.</summary>
    public Task KillAsync() => _process.KillAsync();

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        if (!OwnsDataDirectory)
        {
            return;
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Unique per test; a leftover in the temp directory is harmless.
        }
    }

    [GeneratedRegex(@"Conductor listening on (tcp://[^\s]+)")]
    private static partial Regex ListeningLine();
}
