using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Conductor.Abstractions;
using Conductor.Abstractions.Wire;

namespace Conductor.Proxy.Security;

/// <summary>
/// The arithmetic of SCRAM-SHA-256 (RFC 5802 with RFC 7677's hash), shared by the conductor (which checks proofs)
/// and its clients (which make them). The exchange is carried by <see cref="ConductorWire.HelloMethod"/> and
/// <see cref="ConductorWire.HandshakeMethod"/> instead of SASL messages; docs/security.md describes it.
/// </summary>
public static class ScramSha256
{
    /// <summary>The PBKDF2 iteration count of new credentials (RFC 7677's minimum; the secrets are 256 random bits, not passwords).</summary>
    public const int DefaultIterations = 4096;

    /// <summary>The smallest iteration count either side accepts.</summary>
    public const int MinIterations = 4096;

    /// <summary>The largest iteration count a client accepts, so that a hostile server cannot make it spin.</summary>
    public const int MaxIterations = 1_000_000;

    /// <summary>The length of every key and of the proofs, in bytes.</summary>
    public const int KeyLength = 32;

    /// <summary>The salt length of new credentials, in bytes.</summary>
    public const int SaltLength = 16;

    /// <summary>The channel binding of a connection without TLS.</summary>
    public const string NoChannelBinding = "none";

    private static readonly byte[] s_clientKeyLabel = "Client Key"u8.ToArray();
    private static readonly byte[] s_serverKeyLabel = "Server Key"u8.ToArray();

    /// <summary>Derives the client, stored and server keys from a secret.</summary>
    /// <param name="secret">The secret.</param>
    /// <param name="salt">The salt.</param>
    /// <param name="iterations">The PBKDF2 iteration count.</param>
    /// <returns>The client key (the client keeps it), the stored key and the server key (the conductor's verifier).</returns>
    public static ScramKeys DeriveKeys(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> salt, int iterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, MinIterations);
        Span<byte> salted = stackalloc byte[KeyLength];
        Rfc2898DeriveBytes.Pbkdf2(secret, salt, salted, iterations, HashAlgorithmName.SHA256);
        byte[] clientKey = HMACSHA256.HashData(salted, s_clientKeyLabel);
        byte[] serverKey = HMACSHA256.HashData(salted, s_serverKeyLabel);
        CryptographicOperations.ZeroMemory(salted);
        return new ScramKeys(clientKey, SHA256.HashData(clientKey), serverKey);
    }

    /// <summary>
    /// Builds the message both sides sign: every value of the exchange that an attacker could want to change or
    /// replay (mechanism, role, identity, both nonces, salt, iterations, channel binding).
    /// </summary>
    /// <param name="hello">The client's hello.</param>
    /// <param name="answer">The conductor's answer.</param>
    /// <param name="channelBinding">The connection's channel binding (<see cref="ChannelBinding"/>).</param>
    /// <returns>The UTF-8 bytes of the message.</returns>
    public static byte[] AuthMessage(HelloRequest hello, HelloResponse answer, string channelBinding)
    {
        ArgumentNullException.ThrowIfNull(hello);
        ArgumentNullException.ThrowIfNull(answer);
        string role = hello.Role == ConductorRole.Admin ? "admin" : "compute";
        return Encoding.UTF8.GetBytes(string.Create(
            CultureInfo.InvariantCulture,
            $"{ConductorWire.ScramSha256};v=1;role={role};n={hello.HostName};r={hello.ClientNonce};s={answer.ServerNonce};salt={answer.Salt};i={answer.Iterations};cb={channelBinding}"));
    }

    /// <summary>Computes the client's proof: <c>ClientKey XOR HMAC(StoredKey, AuthMessage)</c>.</summary>
    /// <param name="keys">The client's keys.</param>
    /// <param name="authMessage">The signed message.</param>
    /// <returns>The proof.</returns>
    public static byte[] ClientProof(ScramKeys keys, byte[] authMessage)
    {
        ArgumentNullException.ThrowIfNull(keys);
        byte[] proof = HMACSHA256.HashData(keys.StoredKey, authMessage);
        for (int i = 0; i < proof.Length; i++)
        {
            proof[i] ^= keys.ClientKey[i];
        }

        return proof;
    }

    /// <summary>Checks a client proof against the stored key, in constant time.</summary>
    /// <param name="storedKey">The verifier's stored key.</param>
    /// <param name="authMessage">The signed message.</param>
    /// <param name="proof">The proof the client sent.</param>
    /// <returns>Whether the client knows the client key whose hash is <paramref name="storedKey"/>.</returns>
    public static bool VerifyClientProof(ReadOnlySpan<byte> storedKey, byte[] authMessage, ReadOnlySpan<byte> proof)
    {
        if (proof.Length != KeyLength || storedKey.Length != KeyLength)
        {
            return false;
        }

        Span<byte> clientKey = stackalloc byte[KeyLength];
        HMACSHA256.HashData(storedKey, authMessage, clientKey);
        for (int i = 0; i < KeyLength; i++)
        {
            clientKey[i] ^= proof[i];
        }

        Span<byte> hashed = stackalloc byte[KeyLength];
        SHA256.HashData(clientKey, hashed);
        return CryptographicOperations.FixedTimeEquals(hashed, storedKey);
    }

    /// <summary>Computes the conductor's signature, <c>HMAC(ServerKey, AuthMessage)</c>, which proves to the client that the conductor holds its verifier.</summary>
    /// <param name="serverKey">The verifier's server key.</param>
    /// <param name="authMessage">The signed message.</param>
    /// <returns>The signature.</returns>
    public static byte[] ServerSignature(ReadOnlySpan<byte> serverKey, byte[] authMessage) => HMACSHA256.HashData(serverKey, authMessage);

    /// <summary>
    /// Describes the transport so that a proof made through one TLS session cannot be relayed through another
    /// (in the spirit of RFC 5929's <c>tls-server-end-point</c>, always with SHA-256).
    /// </summary>
    /// <param name="serverCertificate">The certificate the server presented, or <see langword="null"/> without TLS.</param>
    /// <returns>The channel binding string.</returns>
    public static string ChannelBinding(X509Certificate? serverCertificate) =>
        serverCertificate is null ? NoChannelBinding : "tls-server-end-point:" + Convert.ToBase64String(SHA256.HashData(serverCertificate.GetRawCertData()));
}
