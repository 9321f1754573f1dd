namespace Conductor.Host.Security;

/// <summary>A connection's proven identity.</summary>
/// <param name="Credential">The credential it proved.</param>
/// <param name="ServerSignature">The conductor's signature for the client (base64).</param>
internal sealed record AuthenticatedIdentity(StoredCredential Credential, string ServerSignature);
