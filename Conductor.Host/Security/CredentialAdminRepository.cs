using Conductor.Abstractions;
using Conductor.Abstractions.Admin;
using Conductor.Abstractions.Persistence;
using Microsoft.Extensions.Logging;

namespace Conductor.Host.Security;

/// <summary>Operators' management of credentials: stores verifiers, and closes an identity's connections when its credential is revoked or rotated.</summary>
internal sealed class CredentialAdminRepository : ICredentialAdminRepository, IDirectRepository
{
    private readonly CredentialStore _store;
    private readonly ConnectionRegistry _registry;
    private readonly ICallerContext _caller;
    private readonly ILogger _audit;

    public CredentialAdminRepository(CredentialStore store, ConnectionRegistry registry, ICallerContext caller, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _store = store;
        _registry = registry;
        _caller = caller;
        _audit = loggerFactory.CreateLogger(AuditLog.Category);
    }

    /// <inheritdoc/>
    public async Task<CredentialInfo> AddAsync(CredentialVerifier verifier, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        (StoredCredential stored, StoredCredential? replaced) = await _store.AddAsync(verifier, cancellationToken).ConfigureAwait(false);
        int closed = replaced is null ? 0 : _registry.CloseAll(stored.Name);
        AuditLog.CredentialIssued(_audit, stored.Role, stored.Name, _caller.HostName, replaced is null ? string.Empty : $" (rotation; {closed} live connection(s) closed)");
        return Describe(stored, closed);
    }

    /// <inheritdoc/>
    public async Task<CredentialInfo> RevokeAsync(CredentialRevocation revocation, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (revocation is null || string.IsNullOrEmpty(revocation.Name))
        {
            throw new InvalidRequestException("The revocation names no identity. Send the name of the host (or admin) whose credential to revoke.");
        }

        StoredCredential revoked = await _store.RevokeAsync(revocation.Name, cancellationToken).ConfigureAwait(false);
        int closed = _registry.CloseAll(revoked.Name);
        AuditLog.CredentialRevoked(_audit, revoked.Name, _caller.HostName, closed);
        return Describe(revoked, closed);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<CredentialInfo>> ListAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<CredentialInfo> all = _store.All
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => Describe(c, _registry.Count(c.Name)))
            .ToList();
        return Task.FromResult(all);
    }

    private static CredentialInfo Describe(StoredCredential credential, int connections) => new()
    {
        Name = credential.Name,
        Role = credential.Role,
        IssuedAtUtc = credential.IssuedAtUtc,
        Connections = connections,
    };
}
