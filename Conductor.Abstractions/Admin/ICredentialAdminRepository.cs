namespace Conductor.Abstractions.Admin;

/// <summary>
/// Operators' management of the credentials that compute hosts and admins authenticate with. The conductor stores
/// only verifiers (<see cref="CredentialVerifier"/>), never secrets: the CLI generates a secret where the operator
/// runs it and sends only what the conductor needs to check a proof. Only admin connections may call it.
/// </summary>
[ConductorApi("admin.credentials", 1, 0, Audience = ConductorRole.Admin)]
public interface ICredentialAdminRepository
{
    /// <summary>
    /// Stores a verifier for an identity. With <see cref="CredentialVerifier.Replace"/> an existing credential of the
    /// same identity is replaced (rotation) and that identity's live connections are closed at once. Retrying the
    /// same verifier is harmless.
    /// </summary>
    /// <param name="verifier">The identity and the verifier derived from its secret.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored credential's description.</returns>
    /// <exception cref="ConflictException">The identity already has a credential and <see cref="CredentialVerifier.Replace"/> is not set, or it has one for another role.</exception>
    /// <exception cref="InvalidRequestException">The name or the verifier is malformed.</exception>
    [ConductorAccess(AccessRule.Admin)]
    Task<CredentialInfo> AddAsync(CredentialVerifier verifier, CancellationToken cancellationToken);

    /// <summary>Deletes an identity's credential and closes its live connections at once; it is refused from then on.</summary>
    /// <param name="revocation">The identity.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The revoked credential's description, with the number of connections that were closed.</returns>
    /// <exception cref="NotFoundException">The identity has no credential.</exception>
    /// <exception cref="ConflictException">The credential is the last admin credential (revoking it would lock every operator out).</exception>
    [ConductorAccess(AccessRule.Admin)]
    Task<CredentialInfo> RevokeAsync(CredentialRevocation revocation, CancellationToken cancellationToken);

    /// <summary>Lists every credential (never a secret or a verifier), ordered by name, with its live connection count.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The credentials.</returns>
    [ConductorAccess(AccessRule.Admin)]
    Task<IReadOnlyList<CredentialInfo>> ListAsync(CancellationToken cancellationToken);
}
