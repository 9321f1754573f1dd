using Conductor.Abstractions;

namespace Conductor.Host.Security;

/// <summary>A verifier as the conductor holds it in memory: immutable, replaced whole on rotation.</summary>
internal sealed class StoredCredential
{
    public StoredCredential(CredentialDocument document)
    {
        Name = document.Id;
        Role = (ConductorRole)document.Role;
        Salt = document.Salt;
        SaltText = Convert.ToBase64String(document.Salt);
        Iterations = document.Iterations;
        StoredKey = document.StoredKey;
        ServerKey = document.ServerKey;
        IssuedAtUtc = DateTime.SpecifyKind(document.IssuedAtUtc, DateTimeKind.Utc);
        Generation = document.Generation;
        RequestId = document.RequestId;
    }

    public string Name { get; }

    public ConductorRole Role { get; }

    public byte[] Salt { get; }

    public string SaltText { get; }

    public int Iterations { get; }

    public byte[] StoredKey { get; }

    public byte[] ServerKey { get; }

    public DateTime IssuedAtUtc { get; }

    public long Generation { get; }

    public Guid RequestId { get; }
}
