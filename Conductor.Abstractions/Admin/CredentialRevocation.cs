namespace Conductor.Abstractions.Admin;

/// <summary>Asks the conductor to revoke one identity's credential.</summary>
public sealed record CredentialRevocation : IWriteRequest
{
    /// <summary>Gets the identity whose credential is revoked.</summary>
    public required string Name { get; init; }

    /// <inheritdoc/>
    public Guid RequestId { get; init; } = Guid.CreateVersion7();
}
