namespace Conductor.Abstractions.Admin;

/// <summary>A stored credential's public description: never its secret or its verifier.</summary>
public sealed record CredentialInfo
{
    /// <summary>Gets the identity.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the role the identity connects as.</summary>
    public required ConductorRole Role { get; init; }

    /// <summary>Gets when the current credential was issued (conductor clock, UTC).</summary>
    public required DateTime IssuedAtUtc { get; init; }

    /// <summary>
    /// Gets the identity's live connections: after <see cref="ICredentialAdminRepository.ListAsync"/> those open now; after a
    /// revocation or rotation those it closed.
    /// </summary>
    public required int Connections { get; init; }
}
