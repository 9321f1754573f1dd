using System.Security.Cryptography;
using Conductor.Abstractions;
using Conductor.Abstractions.Wire;
using Conductor.Proxy.Security;
using StreamJsonRpc;

namespace Conductor.Proxy.Internal;

/// <summary>
/// The client's side of the connection's opening: with a credential, <see cref="ConductorWire.HelloMethod"/> then
/// <see cref="ConductorWire.HandshakeMethod"/> carrying the SCRAM proof, and a check of the conductor's signature;
/// without one, the handshake alone (which a conductor that requires authentication refuses).
/// </summary>
internal static class ClientAuthenticator
{
    private const int NonceBytes = 24;

    /// <summary>Opens the connection.</summary>
    /// <param name="rpc">The connection, listening.</param>
    /// <param name="handshake">The handshake to send; identity and proof are filled in from the credential.</param>
    /// <param name="credential">The credential, or <see langword="null"/> for none.</param>
    /// <param name="channelBinding">The transport's channel binding (<see cref="ScramSha256.ChannelBinding"/>).</param>
    /// <param name="endpoint">The endpoint, for messages.</param>
    /// <param name="cancellationToken">The attempt's deadline.</param>
    /// <returns>The conductor's handshake answer.</returns>
    /// <exception cref="HandshakeRequiredException">The conductor did not prove that it holds the credential's verifier.</exception>
    public static async Task<HandshakeResponse> HandshakeAsync(
        JsonRpc rpc, HandshakeRequest handshake, HostCredential? credential, string channelBinding, string endpoint, CancellationToken cancellationToken)
    {
        if (credential is null)
        {
            return await rpc.InvokeWithCancellationAsync<HandshakeResponse>(ConductorWire.HandshakeMethod, [handshake], cancellationToken).ConfigureAwait(false);
        }

        var hello = new HelloRequest
        {
            ClientName = handshake.ClientName,
            Role = credential.Role,
            HostName = credential.Name,
            Mechanism = ConductorWire.ScramSha256,
            ClientNonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(NonceBytes)),
        };
        HelloResponse answer = await rpc.InvokeWithCancellationAsync<HelloResponse>(ConductorWire.HelloMethod, [hello], cancellationToken).ConfigureAwait(false);
        byte[] salt = CheckAnswer(answer, endpoint);

        ScramKeys keys = ScramSha256.DeriveKeys(credential.Secret, salt, answer.Iterations);
        byte[] authMessage = ScramSha256.AuthMessage(hello, answer, channelBinding);
        byte[] proof = ScramSha256.ClientProof(keys, authMessage);
        HandshakeResponse response = await rpc.InvokeWithCancellationAsync<HandshakeResponse>(
            ConductorWire.HandshakeMethod,
            [handshake with { Role = credential.Role, HostName = credential.Name, Credentials = Convert.ToBase64String(proof) }],
            cancellationToken).ConfigureAwait(false);

        byte[] expected = ScramSha256.ServerSignature(keys.ServerKey, authMessage);
        if (!TryDecode(response.ServerSignature, out byte[] signature) || !CryptographicOperations.FixedTimeEquals(signature, expected))
        {
            throw new HandshakeRequiredException(
                $"The conductor at {endpoint} accepted the handshake of '{credential.Name}' but did not prove that it holds that credential's verifier, so it may be an impostor. " +
                "The connection was closed. Check Conductor:Endpoint, and use a tls:// endpoint with a trusted certificate on untrusted networks.");
        }

        return response;
    }

    private static byte[] CheckAnswer(HelloResponse answer, string endpoint)
    {
        if (answer is null
            || answer.Mechanism != ConductorWire.ScramSha256
            || answer.Iterations is < ScramSha256.MinIterations or > ScramSha256.MaxIterations
            || string.IsNullOrEmpty(answer.ServerNonce)
            || !TryDecode(answer.Salt, out byte[] salt)
            || salt.Length < 8)
        {
            throw new HandshakeRequiredException(
                $"The conductor at {endpoint} answered the hello with parameters this client does not accept (mechanism, salt or an iteration count outside {ScramSha256.MinIterations}-{ScramSha256.MaxIterations}). Check that Conductor:Endpoint is a conductor.");
        }

        return salt;
    }

    private static bool TryDecode(string? base64, out byte[] bytes)
    {
        bytes = [];
        if (string.IsNullOrEmpty(base64))
        {
            return false;
        }

        try
        {
            bytes = Convert.FromBase64String(base64);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
