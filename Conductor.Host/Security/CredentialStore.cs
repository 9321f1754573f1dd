using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Conductor.Abstractions;
using Conductor.Abstractions.Admin;
using Conductor.Host.Repositories;
using Conductor.Host.Storage;
using Conductor.Proxy.Security;
using LiteDB;

namespace Conductor.Host.Security;

/// <summary>
/// The credentials' verifiers: stored in the database, held in memory so that authenticating a connection never
/// costs a database read. Writes go to the database (durably) and to memory under one lock.
/// </summary>
internal sealed class CredentialStore
{
    private readonly LiteDbConductorDatabase _db;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, StoredCredential> _byName = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _generation;

    public CredentialStore(LiteDbConductorDatabase db, TimeProvider time)
    {
        _db = db;
        _time = time;
        foreach (CredentialDocument document in Collection.FindAll())
        {
            _byName[document.Id] = new StoredCredential(document);
            _generation = Math.Max(_generation, document.Generation);
        }
    }

    /// <summary>Gets every credential.</summary>
    public ICollection<StoredCredential> All => _byName.Values;

    /// <summary>Gets whether any admin credential exists.</summary>
    public bool HasAdmin => _byName.Values.Any(c => c.Role == ConductorRole.Admin);

    private ILiteCollection<CredentialDocument> Collection => _db.Database.GetCollection<CredentialDocument>(CollectionNames.Credentials);

    public bool TryGet(string name, [NotNullWhen(true)] out StoredCredential? credential) => _byName.TryGetValue(name, out credential);

    /// <summary>Stores a verifier; see <see cref="ICredentialAdminRepository.AddAsync"/>.</summary>
    /// <param name="verifier">The verifier.</param>
    /// <param name="cancellationToken">Cancels the wait for durability.</param>
    /// <returns>The stored credential and the one it replaced, if any.</returns>
    public async Task<(StoredCredential Stored, StoredCredential? Replaced)> AddAsync(CredentialVerifier verifier, CancellationToken cancellationToken)
    {
        CredentialDocument document = ToDocument(verifier);
        StoredCredential stored;
        StoredCredential? replaced = null;
        lock (_gate)
        {
            if (_byName.TryGetValue(document.Id, out StoredCredential? existing))
            {
                if (existing.RequestId == verifier.RequestId)
                {
                    // A retry of the add that stored it: the same answer, nothing changes.
                    return (existing, null);
                }

                if (existing.Role != verifier.Role)
                {
                    throw new ConflictException($"'{document.Id}' already has a credential for the {Word(existing.Role)} role. Identity names are unique across roles: revoke that credential first, or choose another name.");
                }

                if (!verifier.Replace)
                {
                    throw new ConflictException($"'{document.Id}' already has a credential (issued {existing.IssuedAtUtc:u}). Rotate it (conductor hosts add {document.Id} --rotate), or revoke it first.");
                }

                replaced = existing;
            }

            document.Generation = ++_generation;
            document.IssuedAtUtc = StorageClock.Now(_time);
            Collection.Upsert(document);
            stored = new StoredCredential(document);
            _byName[document.Id] = stored;
        }

        await _db.WaitForDurableAsync(cancellationToken).ConfigureAwait(false);
        return (stored, replaced);
    }

    /// <summary>Deletes a credential; see <see cref="ICredentialAdminRepository.RevokeAsync"/>.</summary>
    /// <param name="name">The identity.</param>
    /// <param name="cancellationToken">Cancels the wait for durability.</param>
    /// <returns>The deleted credential.</returns>
    public async Task<StoredCredential> RevokeAsync(string name, CancellationToken cancellationToken)
    {
        StoredCredential existing;
        lock (_gate)
        {
            if (name is null || !_byName.TryGetValue(name, out StoredCredential? found))
            {
                throw new NotFoundException($"No credential exists for '{name}'. List them with 'conductor hosts list'.");
            }

            existing = found;

            if (existing.Role == ConductorRole.Admin && _byName.Values.Count(c => c.Role == ConductorRole.Admin) == 1)
            {
                throw new ConflictException($"'{name}' holds the last admin credential; revoking it would lock every operator out. Rotate it instead (conductor admin init --rotate, with the conductor stopped).");
            }

            // Forget it in memory first: from here on no handshake can succeed with it.
            _byName.TryRemove(name, out _);
            Collection.Delete(name);
        }

        await _db.WaitForDurableAsync(cancellationToken).ConfigureAwait(false);
        return existing;
    }

    /// <summary>Generates a credential for an identity and stores its verifier. The secret is returned, never stored.</summary>
    /// <param name="name">The identity.</param>
    /// <param name="role">The role.</param>
    /// <param name="replace">Whether to replace an existing credential of the identity.</param>
    /// <param name="cancellationToken">Cancels the wait for durability.</param>
    /// <returns>The credential, to be handed to the identity's owner.</returns>
    public async Task<HostCredential> IssueAsync(string name, ConductorRole role, bool replace, CancellationToken cancellationToken)
    {
        var credential = HostCredential.Generate(name, role);
        await AddAsync(credential.CreateVerifier(replace: replace), cancellationToken).ConfigureAwait(false);
        return credential;
    }

    private static CredentialDocument ToDocument(CredentialVerifier verifier)
    {
        if (verifier is null)
        {
            throw RepositoryErrors.Missing("verifier");
        }

        if (!HostCredential.IsValidName(verifier.Name))
        {
            throw new InvalidRequestException($"'{verifier.Name}' is not a valid identity name. Use 1 to {HostCredential.MaxNameLength} ASCII letters, digits, '.', '-' and '_'.");
        }

        if (!Enum.IsDefined(verifier.Role))
        {
            throw new InvalidRequestException("The verifier's role must be compute or admin.");
        }

        if (verifier.Iterations is < ScramSha256.MinIterations or > ScramSha256.MaxIterations)
        {
            throw new InvalidRequestException($"The verifier's iteration count must be between {ScramSha256.MinIterations} and {ScramSha256.MaxIterations}.");
        }

        byte[] salt = Decode(verifier.Salt, "salt");
        byte[] storedKey = Decode(verifier.StoredKey, "storedKey");
        byte[] serverKey = Decode(verifier.ServerKey, "serverKey");
        if (salt.Length is < 16 or > 64 || storedKey.Length != ScramSha256.KeyLength || serverKey.Length != ScramSha256.KeyLength)
        {
            throw new InvalidRequestException($"The verifier's salt must be 16 to 64 bytes and its keys {ScramSha256.KeyLength} bytes each. Derive it with HostCredential.CreateVerifier.");
        }

        return new CredentialDocument
        {
            Id = verifier.Name,
            Role = (int)verifier.Role,
            Salt = salt,
            Iterations = verifier.Iterations,
            StoredKey = storedKey,
            ServerKey = serverKey,
            RequestId = verifier.RequestId,
        };
    }

    private static byte[] Decode(string? base64, string field)
    {
        try
        {
            return Convert.FromBase64String(base64 ?? string.Empty);
        }
        catch (FormatException)
        {
            throw new InvalidRequestException($"The verifier's {field} is not base64.");
        }
    }

    private static string Word(ConductorRole role) => role == ConductorRole.Admin ? "admin" : "compute";
}
