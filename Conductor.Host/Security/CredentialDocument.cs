namespace Conductor.Host.Security;

/// <summary>The stored form of a credential's verifier, keyed by identity. Never holds a secret.</summary>
internal sealed class CredentialDocument
{
    /// <summary>Gets or sets the identity (the document id).</summary>
    public string Id { get; set; } = "";

    /// <summary>Gets or sets the role, as <see cref="Abstractions.ConductorRole"/>'s number.</summary>
    public int Role { get; set; }

    /// <summary>Gets or sets the key derivation's salt.</summary>
    public byte[] Salt { get; set; } = [];

    /// <summary>Gets or sets the PBKDF2 iteration count.</summary>
    public int Iterations { get; set; }

    /// <summary>Gets or sets the stored key.</summary>
    public byte[] StoredKey { get; set; } = [];

    /// <summary>Gets or sets the server key.</summary>
    public byte[] ServerKey { get; set; } = [];

    /// <summary>Gets or sets when the credential was issued.</summary>
    public DateTime IssuedAtUtc { get; set; }

    /// <summary>Gets or sets a number that changes with every issue of a credential for the identity.</summary>
    public long Generation { get; set; }

    /// <summary>Gets or sets the request that stored this credential, so a retried add is recognised.</summary>
    public Guid RequestId { get; set; }
}
