using Conductor.Abstractions;

namespace Conductor.Specification.Tests.Targets;

/// <summary>One implementation of the contracts under test: direct repositories, or proxies over a transport.</summary>
public abstract class ConductorTarget : IAsyncDisposable
{
    protected ConductorTarget()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "conductor-spec", Guid.NewGuid().ToString("N"));
    }

    public string DataDirectory { get; }

    /// <summary>Opens a new caller: for proxy targets, a new connection that handshakes with this identity.</summary>
    /// <param name="hostName">The host the caller speaks for.</param>
    /// <param name="role">The caller's role.</param>
    /// <returns>The caller's repositories.</returns>
    public abstract Task<ConductorClient> ConnectAsync(string hostName, ConductorRole role = ConductorRole.Compute);

    public virtual ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Unique per target; a leftover in the temp directory is harmless.
        }

        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
