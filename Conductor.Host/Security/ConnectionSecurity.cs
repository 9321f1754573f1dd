using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Conductor.Host.Security;

/// <summary>The security services every connection uses, resolved once per connection as one object.</summary>
internal sealed class ConnectionSecurity
{
    public ConnectionSecurity(
        IOptions<ConductorSecurityOptions> options,
        IOptions<ConductorOptions> conductorOptions,
        ServerAuthenticator authenticator,
        AccessPolicy policy,
        ConnectionRegistry registry,
        CredentialStore store,
        ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(conductorOptions);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        Options = options.Value;
        MaxMessageBytes = conductorOptions.Value.MaxMessageBytes;
        Authenticator = authenticator;
        Policy = policy;
        Registry = registry;
        Store = store;
        Audit = loggerFactory.CreateLogger(AuditLog.Category);
    }

    public ConductorSecurityOptions Options { get; }

    /// <summary>Gets the largest message an authenticated connection may send (<see cref="ConductorOptions.MaxMessageBytes"/>).</summary>
    public int MaxMessageBytes { get; }

    public ServerAuthenticator Authenticator { get; }

    public AccessPolicy Policy { get; }

    public ConnectionRegistry Registry { get; }

    public CredentialStore Store { get; }

    public ILogger Audit { get; }
}
