using Conductor.Abstractions;
using Conductor.Host.Security;
using Conductor.Proxy.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.Specification.Tests.Targets;

/// <summary>One implementation of the contracts under test: direct repositories, or proxies over a transport.</summary>
public abstract class ConductorTarget : IAsyncDisposable
{
    private readonly Dictionary<string, string> _credentials = new(StringComparer.Ordinal);

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

    /// <summary>
    /// The credential of an identity on a conductor in this process: issued through its credential store the first
    /// time (as 'conductor hosts add' would), then reused, so every connection of the identity proves the same secret.
    /// </summary>
    protected async Task<string> CredentialAsync(IServiceProvider conductor, string hostName, ConductorRole role)
    {
        if (!_credentials.TryGetValue(hostName, out string? credential))
        {
            HostCredential issued = await conductor.GetRequiredService<CredentialStore>().IssueAsync(hostName, role, replace: true, CancellationToken.None);
            credential = issued.Export();
            _credentials[hostName] = credential;
        }

        return credential;
    }

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
