using Conductor.Abstractions;

namespace Conductor.Host.Rpc;

/// <summary>
/// The identity of one connection, set once by its successful handshake. Registered scoped: each connection has
/// its own DI scope, so every repository resolved for the connection sees the same caller.
/// </summary>
internal sealed class CallerContext : ICallerContext
{
    private string? _hostName;

    /// <inheritdoc/>
    public ConductorRole Role { get; private set; }

    /// <inheritdoc/>
    public string HostName => _hostName ?? throw new InvalidOperationException("The caller is not known before the connection's handshake succeeds.");

    /// <inheritdoc/>
    public string ClientName { get; private set; } = string.Empty;

    /// <inheritdoc/>
    public string ConnectionId { get; private set; } = string.Empty;

    /// <summary>Gets the API versions settled for the connection.</summary>
    public IReadOnlyDictionary<string, ApiVersion> Versions { get; private set; } = new Dictionary<string, ApiVersion>();

    /// <summary>Sets the identity. Called once, by the handshake.</summary>
    /// <param name="role">The role.</param>
    /// <param name="hostName">The host name.</param>
    /// <param name="clientName">The client name.</param>
    /// <param name="connectionId">The connection id.</param>
    /// <param name="versions">The settled versions.</param>
    public void Set(ConductorRole role, string hostName, string clientName, string connectionId, IReadOnlyDictionary<string, ApiVersion> versions)
    {
        if (_hostName is not null)
        {
            throw new InvalidOperationException("The caller of a connection is set once, by its handshake.");
        }

        Role = role;
        ClientName = clientName;
        ConnectionId = connectionId;
        Versions = versions;
        _hostName = hostName;
    }
}
