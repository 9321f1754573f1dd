namespace Conductor.Abstractions.Admin;

/// <summary>
/// What the conductor stores to check an identity's proofs (SCRAM-SHA-256, RFC 5802 / RFC 7677): the salt and
/// iteration count of the key derivation and the two keys derived from the secret. It cannot be used to log in: a
/// proof needs the client key, of which <see cref="StoredKey"/> is only a hash. Binary values are base64.
/// </summary>
public sealed record CredentialVerifier : IWriteRequest
{
    /// <summary>Gets the identity: a compute host's name, or an admin's name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the role the identity connects as.</summary>
    public required ConductorRole Role { get; init; }

    /// <summary>Gets the key derivation's salt (base64, at least 16 bytes).</summary>
    public required string Salt { get; init; }

    /// <summary>Gets the key derivation's PBKDF2 iteration count (at least 4096).</summary>
    public required int Iterations { get; init; }

    /// <summary>Gets <c>SHA-256(HMAC(SaltedSecret, "Client Key"))</c> (base64, 32 bytes).</summary>
    public required string StoredKey { get; init; }

    /// <summary>Gets <c>HMAC(SaltedSecret, "Server Key")</c> (base64, 32 bytes), with which the conductor proves itself to the client.</summary>
    public required string ServerKey { get; init; }

    /// <summary>Gets whether an existing credential of the same identity is replaced (rotation).</summary>
    public bool Replace { get; init; }

    /// <inheritdoc/>
    public Guid RequestId { get; init; } = Guid.CreateVersion7();
}
