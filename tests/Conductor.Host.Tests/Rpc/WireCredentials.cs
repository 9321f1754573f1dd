using System.Text;
using Conductor.Abstractions.Admin;
using Conductor.Abstractions.Wire;
using Conductor.Host.Security;
using Conductor.Proxy.Security;

namespace Conductor.Host.Tests.Rpc;

/// <summary>
/// The fixed credentials, salts and server nonces of the wire tests and of docs/protocol.md's worked example, so that
/// the document's proofs and signatures are the ones a conductor really computes.
/// </summary>
internal static class WireCredentials
{
    /// <summary>Gets the compute host's credential, as <c>conductor hosts add compute-1</c> would have printed it.</summary>
    public static HostCredential Compute { get; } = HostCredential.Parse("cnd1:compute:compute-1:" + System.Buffers.Text.Base64Url.EncodeToString(Bytes(0x00)));

    /// <summary>Gets the operator's credential.</summary>
    public static HostCredential Admin { get; } = HostCredential.Parse("cnd1:admin:ops-1:" + System.Buffers.Text.Base64Url.EncodeToString(Bytes(0x20)));

    /// <summary>Gets the compute host's salt: the bytes a0 to af.</summary>
    public static byte[] ComputeSalt { get; } = Bytes(0xa0, 16);

    /// <summary>Gets the operator's salt: the bytes b0 to bf.</summary>
    public static byte[] AdminSalt { get; } = Bytes(0xb0, 16);

    public static HostCredential? For(string hostName) =>
        hostName == Compute.Name ? Compute : hostName == Admin.Name ? Admin : null;

    /// <summary>Stores both verifiers with their fixed salts.</summary>
    public static async Task StoreAsync(CredentialStore store)
    {
        await store.AddAsync(Verifier(Compute, ComputeSalt), CancellationToken.None);
        await store.AddAsync(Verifier(Admin, AdminSalt), CancellationToken.None);
    }

    /// <summary>Computes the proof for a hello and the conductor's answer, without TLS.</summary>
    public static string Proof(HostCredential credential, HelloRequest hello, HelloResponse answer)
    {
        byte[] secret = System.Buffers.Text.Base64Url.DecodeFromChars(credential.Export().Split(':')[3]);
        ScramKeys keys = ScramSha256.DeriveKeys(secret, Convert.FromBase64String(answer.Salt), answer.Iterations);
        return Convert.ToBase64String(ScramSha256.ClientProof(keys, ScramSha256.AuthMessage(hello, answer, ScramSha256.NoChannelBinding)));
    }

    private static CredentialVerifier Verifier(HostCredential credential, byte[] salt)
    {
        byte[] secret = System.Buffers.Text.Base64Url.DecodeFromChars(credential.Export().Split(':')[3]);
        ScramKeys keys = ScramSha256.DeriveKeys(secret, salt, ScramSha256.DefaultIterations);
        return new CredentialVerifier
        {
            Name = credential.Name,
            Role = credential.Role,
            Salt = Convert.ToBase64String(salt),
            Iterations = ScramSha256.DefaultIterations,
            StoredKey = Convert.ToBase64String(keys.StoredKey),
            ServerKey = Convert.ToBase64String(keys.ServerKey),
        };
    }

    private static byte[] Bytes(int first, int count = 32) => [.. Enumerable.Range(first, count).Select(b => (byte)b)];

    /// <summary>Server nonces that count up (<c>server-nonce-00000001</c>, ...), so a replayed session gets the documented ones.</summary>
    internal sealed class CountingNonces : ServerNonceSource
    {
        private int _next;

        public override string Next() => Convert.ToBase64String(Encoding.ASCII.GetBytes($"server-nonce-{Interlocked.Increment(ref _next):D8}"));
    }
}
