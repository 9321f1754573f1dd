using Conductor.Abstractions;
using Microsoft.Extensions.Logging;

namespace Conductor.Host.Security;

/// <summary>
/// The audit trail: every failed authentication and every denied call, with who, what and why. Written to the
/// <see cref="Category"/> logger category so operators can route it apart from the rest of the log.
/// </summary>
internal static partial class AuditLog
{
    /// <summary>The logger category of audit events.</summary>
    public const string Category = "Conductor.Audit";

    [LoggerMessage(100, LogLevel.Warning, "AUDIT authentication failed: connection {ConnectionId} from {Remote} claimed {Role} '{Identity}': {Reason}")]
    public static partial void AuthenticationFailed(ILogger logger, string connectionId, string remote, ConductorRole role, string identity, string reason);

    [LoggerMessage(101, LogLevel.Warning, "AUDIT authentication refused unchecked: connection {ConnectionId} from {Remote} claimed '{Identity}' while failed attempts from {Address} or for that identity are over the limit (retry after {RetryAfterSeconds:0} s).")]
    public static partial void AuthenticationRateLimited(ILogger logger, string connectionId, string remote, string identity, string address, double retryAfterSeconds);

    [LoggerMessage(102, LogLevel.Information, "AUDIT authenticated: connection {ConnectionId} from {Remote} is {Role} '{Identity}'.")]
    public static partial void Authenticated(ILogger logger, string connectionId, string remote, ConductorRole role, string identity);

    [LoggerMessage(110, LogLevel.Warning, "AUDIT call denied: connection {ConnectionId} from {Remote} ({Role} '{Identity}') called {Method}: {Reason}")]
    public static partial void CallDenied(ILogger logger, string connectionId, string remote, ConductorRole role, string identity, string method, string reason);

    [LoggerMessage(111, LogLevel.Warning, "AUDIT call denied: connection {ConnectionId} from {Remote} called {Method} before authenticating.")]
    public static partial void CallBeforeHandshake(ILogger logger, string connectionId, string remote, string method);

    [LoggerMessage(112, LogLevel.Warning, "AUDIT {Count} more call(s) denied on connection {ConnectionId} from {Remote} ('{Identity}') since the last entry; the latest was {Method}.")]
    public static partial void CallsDeniedSummary(ILogger logger, long count, string connectionId, string remote, string identity, string method);

    [LoggerMessage(120, LogLevel.Warning, "AUDIT connection {ConnectionId} from {Remote} ('{Identity}') closed: {Reason}")]
    public static partial void ConnectionRejected(ILogger logger, string connectionId, string remote, string identity, string reason);

    [LoggerMessage(130, LogLevel.Information, "AUDIT credential issued for {Role} '{Identity}' by '{Issuer}'{Rotation}.")]
    public static partial void CredentialIssued(ILogger logger, ConductorRole role, string identity, string issuer, string rotation);

    [LoggerMessage(131, LogLevel.Information, "AUDIT credential of '{Identity}' revoked by '{Issuer}'; {Closed} live connection(s) closed.")]
    public static partial void CredentialRevoked(ILogger logger, string identity, string issuer, int closed);

    [LoggerMessage(140, LogLevel.Warning, "AUDIT TLS handshake with {Remote} failed: {Reason}")]
    public static partial void TlsFailed(ILogger logger, string remote, string reason);
}
