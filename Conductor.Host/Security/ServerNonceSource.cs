using System.Security.Cryptography;

namespace Conductor.Host.Security;

/// <summary>Makes the conductor's per-connection nonces: 24 random bytes, base64. A seam for tests that must replay an exchange.</summary>
internal class ServerNonceSource
{
    /// <summary>Returns a fresh nonce.</summary>
    /// <returns>The nonce, base64.</returns>
    public virtual string Next() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
}
