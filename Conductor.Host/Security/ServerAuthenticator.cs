using System.Security.Cryptography;
using System.Text;
using Conductor.Abstractions;
using Conductor.Abstractions.Wire;
using Conductor.Proxy.Security;
using Microsoft.Extensions.Logging;

namespace Conductor.Host.Security;

/// <summary>
/// The conductor's side of SCRAM-SHA-256: answers hellos (with a decoy salt for identities it does not know, so the
/// answer does not reveal which exist), checks proofs against the in-memory verifiers, signs for the client, limits
/// failed attempts and writes every failure to the audit log. The client is only ever told that it was refused;
/// the reason goes to the log.
/// </summary>
internal sealed class ServerAuthenticator
{
    private const int MinNonceBytes = 16;
    private const int MaxNonceBytes = 64;

    private readonly CredentialStore _store;
    private readonly AuthenticationRateLimiter _limiter;
    private readonly ILogger _audit;
    private readonly ServerNonceSource _nonces;
    private readonly byte[] _decoyKey = RandomNumberGenerator.GetBytes(32);

    public ServerAuthenticator(CredentialStore store, AuthenticationRateLimiter limiter, ServerNonceSource nonces, ILogger audit)
    {
        _store = store;
        _limiter = limiter;
        _nonces = nonces;
        _audit = audit;
    }

    /// <summary>Answers a hello.</summary>
    /// <param name="hello">The client's hello.</param>
    /// <returns>The pending authentication, whose <see cref="PendingAuthentication.Answer"/> goes back to the client.</returns>
    /// <exception cref="InvalidRequestException">The hello is malformed.</exception>
    public PendingAuthentication Hello(HelloRequest? hello)
    {
        Validate(hello);
        StoredCredential? credential = _store.TryGet(hello!.HostName, out StoredCredential? found) && found.Role == hello.Role ? found : null;

        // An unknown identity gets a salt that looks real and is stable for its name, so probing names learns nothing.
        string salt = credential?.SaltText ?? Convert.ToBase64String(DecoySalt(_decoyKey, hello));
        var answer = new HelloResponse
        {
            Mechanism = ConductorWire.ScramSha256,
            ServerNonce = _nonces.Next(),
            Salt = salt,
            Iterations = credential?.Iterations ?? ScramSha256.DefaultIterations,
        };
        return new PendingAuthentication(hello, answer, credential);
    }

    /// <summary>Checks a handshake's proof.</summary>
    /// <param name="pending">The connection's hello, or <see langword="null"/> if it sent none.</param>
    /// <param name="request">The handshake.</param>
    /// <param name="channelBinding">The connection's channel binding.</param>
    /// <param name="remote">The remote endpoint.</param>
    /// <param name="connectionId">The connection, for the log.</param>
    /// <returns>The proven identity.</returns>
    /// <exception cref="HandshakeRequiredException">The connection did not prove an identity.</exception>
    public AuthenticatedIdentity Authenticate(PendingAuthentication? pending, HandshakeRequest request, string channelBinding, string remote, string connectionId)
    {
        string address = AuthenticationRateLimiter.AddressOf(remote);
        if (pending is null)
        {
            string reason = string.IsNullOrEmpty(request.Credentials)
                ? "it sent no credential and did not call conductor.Hello"
                : "it sent a proof without calling conductor.Hello first, so there was no nonce to prove against";
            AuditLog.AuthenticationFailed(_audit, connectionId, remote, request.Role, request.HostName, reason);
            _limiter.RecordFailure(address, request.HostName);
            throw new HandshakeRequiredException(
                $"The conductor requires every connection to authenticate, and this one did not ({reason}). Issue a credential for '{request.HostName}' with 'conductor hosts add {request.HostName}' and configure it with Conductor:CredentialsFile.");
        }

        string identity = pending.Hello.HostName;
        if (_limiter.IsLimited(address, identity, out TimeSpan retryAfter))
        {
            AuditLog.AuthenticationRateLimited(_audit, connectionId, remote, identity, address, retryAfter.TotalSeconds);
            throw new HandshakeRequiredException(
                $"The conductor refused this authentication unchecked: too many failed attempts came from this address or named '{identity}' recently. Check the credential, then retry in about {Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds))} s.");
        }

        byte[] authMessage = ScramSha256.AuthMessage(pending.Hello, pending.Answer, channelBinding);
        string? failure = Check(pending, request, authMessage, out StoredCredential? credential);
        if (failure is not null)
        {
            _limiter.RecordFailure(address, identity);
            AuditLog.AuthenticationFailed(_audit, connectionId, remote, pending.Hello.Role, identity, failure);
            throw new HandshakeRequiredException(
                $"The conductor refused the credential of '{identity}': it is unknown, revoked or replaced, or the proof did not match. Issue a new one with 'conductor hosts add {identity} --rotate' and configure it with Conductor:CredentialsFile.");
        }

        AuditLog.Authenticated(_audit, connectionId, remote, credential!.Role, identity);
        return new AuthenticatedIdentity(credential, Convert.ToBase64String(ScramSha256.ServerSignature(credential.ServerKey, authMessage)));
    }

    private string? Check(PendingAuthentication pending, HandshakeRequest request, byte[] authMessage, out StoredCredential? credential)
    {
        credential = null;
        if (!string.Equals(request.HostName, pending.Hello.HostName, StringComparison.Ordinal) || request.Role != pending.Hello.Role)
        {
            return $"the handshake claims {request.Role} '{request.HostName}' but its hello claimed {pending.Hello.Role} '{pending.Hello.HostName}'";
        }

        if (pending.Credential is null)
        {
            return "no credential of that role exists for the identity (never issued, or revoked)";
        }

        // The credential the salt came from must still be the current one: revoked or rotated since the hello is refused.
        if (!_store.TryGet(pending.Hello.HostName, out StoredCredential? current) || current.Generation != pending.Credential.Generation)
        {
            return "the credential was revoked or replaced during the handshake";
        }

        byte[] proof;
        try
        {
            proof = Convert.FromBase64String(request.Credentials ?? string.Empty);
        }
        catch (FormatException)
        {
            return "the proof is not base64";
        }

        if (!ScramSha256.VerifyClientProof(current.StoredKey, authMessage, proof))
        {
            return "the proof does not match the credential (a wrong or old secret, a replayed handshake, or a tampered exchange)";
        }

        credential = current;
        return null;
    }

    private static void Validate(HelloRequest? hello)
    {
        if (hello is null)
        {
            throw new InvalidRequestException("The hello has no request object. Send one object with clientName, role, hostName, mechanism and clientNonce.");
        }

        if (!HostCredential.IsValidName(hello.HostName))
        {
            throw new InvalidRequestException($"The hello's hostName must be 1 to {HostCredential.MaxNameLength} characters of letters, digits, '.', '-' and '_'.");
        }

        if (!Enum.IsDefined(hello.Role))
        {
            throw new InvalidRequestException("The hello's role must be \"compute\" or \"admin\".");
        }

        if (string.IsNullOrWhiteSpace(hello.ClientName) || hello.ClientName.Length > 200)
        {
            throw new InvalidRequestException("The hello's clientName must be 1 to 200 characters.");
        }

        if (!string.Equals(hello.Mechanism, ConductorWire.ScramSha256, StringComparison.Ordinal))
        {
            throw new InvalidRequestException($"The hello asks for mechanism '{hello.Mechanism}'; this conductor supports {ConductorWire.ScramSha256} only.");
        }

        Span<byte> nonce = stackalloc byte[MaxNonceBytes];
        if (hello.ClientNonce is null || !Convert.TryFromBase64String(hello.ClientNonce, nonce, out int length) || length < MinNonceBytes)
        {
            throw new InvalidRequestException($"The hello's clientNonce must be {MinNonceBytes} to {MaxNonceBytes} random bytes, base64.");
        }
    }

    private static byte[] DecoySalt(byte[] key, HelloRequest hello) =>
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes((hello.Role == ConductorRole.Admin ? "admin:" : "compute:") + hello.HostName))[..ScramSha256.SaltLength];
}
