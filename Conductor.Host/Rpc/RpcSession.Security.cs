using System.Collections.Frozen;
using Conductor.Abstractions;
using Conductor.Abstractions.Wire;
using Conductor.Host.Security;
using StreamJsonRpc.Protocol;

namespace Conductor.Host.Rpc;

/// <content>
/// Authentication and authorization of the connection: the hello, the registration of the proven identity (so a
/// revocation can close the connection), and the gate every request passes before StreamJsonRpc dispatches it.
/// </content>
internal sealed partial class RpcSession
{
    private const string ConnectionMethodPrefix = ApiNames.ConnectionApi + ".";

    private readonly ConnectionSecurity _security;
    private readonly Stream _stream;
    private readonly string _channelBinding;
    private readonly ConductorMessageHandler _handler;
    private PendingAuthentication? _pending;
    private FrozenDictionary<string, MemberAccess>? _access;
    private string? _identity;
    private int _helloState;
    private long _denials;

    /// <summary>Answers the connection's hello: the first step of authentication.</summary>
    /// <param name="request">The client's hello.</param>
    /// <param name="cancellationToken">Cancelled when the connection drops.</param>
    /// <returns>The nonce, salt and iteration count for the client's proof.</returns>
    public Task<HelloResponse> HelloAsync(HelloRequest request, CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _helloState, 1, 0) != 0 || Volatile.Read(ref _handshakeState) != 0)
        {
            throw new HandshakeRequiredException("This connection has already said hello or sent its handshake. Send conductor.Hello once and then conductor.Handshake, as the first calls of a connection.");
        }

        try
        {
            PendingAuthentication pending = _security.Authenticator.Hello(request);
            Volatile.Write(ref _pending, pending);
            return Task.FromResult(pending.Answer);
        }
        catch (ConductorException ex)
        {
            LogHandshakeRefused(_logger, ConnectionId, Remote, request?.HostName, ex.Message);
            _rpc.CloseAfterRefusal(ex, RefusalSendBound);
            throw;
        }
    }

    /// <summary>Closes the connection now (its credential was revoked or rotated).</summary>
    public void Close() => _rpc.Dispose();

    /// <summary>Binds the proven identity to the connection: its authorization table, its registration for revocation, its message size.</summary>
    private void Authorize(AuthenticatedIdentity identity, ConductorRole role)
    {
        string name = identity.Credential.Name;
        _access = _security.Policy.For(role);
        _identity = name;
        _security.Registry.Add(name, this);

        // A revocation between the proof check and the registration above did not see this connection: look again.
        if (!_security.Store.TryGet(name, out StoredCredential? current) || current.Generation != identity.Credential.Generation)
        {
            ForgetIdentity();
            throw new HandshakeRequiredException($"The credential of '{name}' was revoked or replaced while this connection authenticated. Configure the current credential and connect again.");
        }

        _handler.MaxMessageBytes = _security.MaxMessageBytes;
    }

    private void ForgetIdentity()
    {
        if (_identity is { } name)
        {
            _security.Registry.Remove(name, this);
        }
    }

    /// <summary>Decides, before StreamJsonRpc sees it, whether a request is dispatched or answered with an error.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The error to answer with, or <see langword="null"/> to dispatch.</returns>
    private JsonRpcError.ErrorDetail? Admit(JsonRpcRequest request)
    {
        string? method = request.Method;
        if (method is not null && (method.StartsWith(ConnectionMethodPrefix, StringComparison.Ordinal) || method.StartsWith("$/", StringComparison.Ordinal)))
        {
            // The connection's own methods (hello, handshake, cancellation): StreamJsonRpc answers them, or says they do not exist.
            return null;
        }

        if (!IsHandshaken)
        {
            if (CountDenial(method))
            {
                AuditLog.CallBeforeHandshake(_security.Audit, ConnectionId, Remote, Printable(method));
            }

            return WireErrors.Create(
                ConductorErrorCodes.HandshakeRequired,
                $"{Printable(method)} was called before the connection authenticated. Call {ConductorWire.HelloMethod} and then {ConductorWire.HandshakeMethod} first; nothing else is callable before them.");
        }

        if (method is null || !_access!.TryGetValue(method, out MemberAccess? access))
        {
            Deny(method, "no contract member has that name");
            return WireErrors.Create(JsonRpcErrorCode.MethodNotFound, $"The conductor has no method named {Printable(method)}. Only contract members are callable; check the name against docs/protocol.md.");
        }

        if (!access.Allowed)
        {
            Deny(method, access.Reason);
            return WireErrors.Create(
                ConductorErrorCodes.AccessDenied,
                $"This connection ({Word(_caller.Role)} '{_identity}') may not call {method}: {access.Reason}.");
        }

        return null;
    }

    private void Deny(string? method, string reason)
    {
        if (CountDenial(method))
        {
            AuditLog.CallDenied(_security.Audit, ConnectionId, Remote, _caller.Role, _identity ?? "-", Printable(method), reason);
        }
    }

    /// <summary>Counts a denial; returns whether to log it one by one (the first few per connection), else logs a summary now and then.</summary>
    private bool CountDenial(string? method)
    {
        long count = ++_denials;
        int logged = _security.Options.DenialsLoggedPerConnection;
        if (count <= logged)
        {
            return true;
        }

        if ((count - logged) % 1000 == 0)
        {
            AuditLog.CallsDeniedSummary(_security.Audit, 1000, ConnectionId, Remote, _identity ?? "-", Printable(method));
        }

        return false;
    }

    private void OnFrameRejected(string reason) =>
        AuditLog.ConnectionRejected(_security.Audit, ConnectionId, Remote, _identity ?? "unauthenticated", reason);

    private static string Word(ConductorRole role) => role == ConductorRole.Admin ? "admin" : "compute host";

    /// <summary>Keeps a client-chosen method name harmless in logs and messages.</summary>
    private static string Printable(string? method) =>
        method is null ? "(no method)" : method.Length <= 100 && method.All(c => c is >= ' ' and <= '~') ? method : "(an unprintable or overlong method name)";
}
