using System.Net.Security;
using Conductor.Abstractions;
using Conductor.Abstractions.Wire;
using Conductor.Host.Security;
using Conductor.Host.Versioning;
using Conductor.Proxy;
using Conductor.Proxy.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StreamJsonRpc;

namespace Conductor.Host.Rpc;

/// <summary>
/// One client connection: its <see cref="JsonRpc"/>, its DI scope (which holds the caller's identity and the
/// repositories bound to it) and its handshake. Only the handshake is callable until it succeeds; then the targets
/// of the APIs the caller's role may use are added, exposing interface members only.
/// </summary>
internal sealed partial class RpcSession : IAsyncDisposable
{
    /// <summary>How long a refused connection waits at most for its refusal to be sent before it closes.</summary>
    private static readonly TimeSpan RefusalSendBound = TimeSpan.FromSeconds(5);

    private readonly ConductorServer _server;
    private readonly AsyncServiceScope _scope;
    private readonly CallerContext _caller;
    private readonly ILogger _logger;
    private readonly ConductorServerRpc _rpc;
    private readonly PeerActivity _activity = new();
    private int _handshakeState;

    public RpcSession(ConductorServer server, Stream stream, string remote, string connectionId, IServiceProvider services, ILogger logger)
    {
        _server = server;
        Remote = remote;
        ConnectionId = connectionId;
        _logger = logger;
        _scope = services.CreateAsyncScope();
        _caller = _scope.ServiceProvider.GetRequiredService<CallerContext>();
        _security = _scope.ServiceProvider.GetRequiredService<ConnectionSecurity>();
        _stream = stream;
        _channelBinding = ScramSha256.ChannelBinding((stream as SslStream)?.LocalCertificate);
        _handler = ConductorMessageHandler.Create(
            _activity.Watch(stream), ConductorWireFormat.CreateFormatter(), _security.Options.MaxHandshakeMessageBytes, _security.Options.MaxConcurrentRequestsPerConnection);
        _handler.Gate = Admit;
        _handler.FrameRejected = OnFrameRejected;
        _rpc = new ConductorServerRpc(_handler, server, this, logger);
        _rpc.AddLocalRpcTarget(typeof(HandshakeTarget), new HandshakeTarget(this), new JsonRpcTargetOptions { DisposeOnDisconnect = false });
    }

    public string ConnectionId { get; }

    public string Remote { get; }

    public bool IsHandshaken => Volatile.Read(ref _handshakeState) == 2;

    public Task Completion => _rpc.Completion;

    /// <summary>Starts reading requests and arms the handshake deadline.</summary>
    /// <param name="handshakeTimeout">How long the client has to complete the handshake.</param>
    public void Start(TimeSpan handshakeTimeout)
    {
        _rpc.StartListening();
        _ = EnforceHandshakeDeadlineAsync(handshakeTimeout);
    }

    public Task<HandshakeResponse> HandshakeAsync(HandshakeRequest request, CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _handshakeState, 1, 0) != 0)
        {
            throw new HandshakeRequiredException("This connection has already sent its handshake. Send it once, as the first call of a connection.");
        }

        try
        {
            HandshakeRules.Validate(request);
            AuthenticatedIdentity identity = _security.Authenticator.Authenticate(Volatile.Read(ref _pending), request, _channelBinding, Remote, ConnectionId);
            Negotiation negotiation = _server.Negotiate(request);
            IReadOnlyDictionary<string, ApiVersion> versions = negotiation.Settled;
            _caller.Set(request.Role, request.HostName, request.ClientName, ConnectionId, versions);
            ApplyNegotiation(negotiation);

            Authorize(identity, request.Role);
            ConductorKeepAlive.AddPingTarget(_rpc);
            StartKeepAlive();
            Volatile.Write(ref _handshakeState, 2);
            LogHandshake(_logger, ConnectionId, Remote, request.Role, request.HostName, request.ClientName);
            return Task.FromResult(new HandshakeResponse
            {
                ServerName = ConductorServer.ServerName,
                ConnectionId = ConnectionId,
                Apis = versions.ToDictionary(v => v.Key, v => v.Value.ToString(), StringComparer.Ordinal),
                ServerTimeUtc = UtcDateTimeJsonConverter.Truncate(_server.Clock.GetUtcNow().UtcDateTime),
                ServerSignature = identity.ServerSignature,
            });
        }
        catch (ConductorException ex)
        {
            LogHandshakeRefused(_logger, ConnectionId, Remote, request?.HostName, ex.Message);
            _rpc.CloseAfterRefusal(ex, RefusalSendBound);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        ForgetIdentity();
        _rpc.Dispose();
        try
        {
            await _rpc.Completion.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The connection's end is reported by the server's log line; its cause does not matter here.
        }

        await _scope.DisposeAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
    }

    private async Task EnforceHandshakeDeadlineAsync(TimeSpan timeout)
    {
        Task expired = Task.Delay(timeout, _server.Clock);
        if (await Task.WhenAny(expired, _rpc.Completion).ConfigureAwait(false) == expired && !IsHandshaken)
        {
            LogHandshakeTimeout(_logger, ConnectionId, Remote, timeout.TotalSeconds);
            _rpc.Dispose();
        }
    }

    [LoggerMessage(10, LogLevel.Information, "Connection {ConnectionId} from {Remote}: handshake as {Role} {HostName} ({ClientName}).")]
    private static partial void LogHandshake(ILogger logger, string connectionId, string remote, ConductorRole role, string hostName, string clientName);

    [LoggerMessage(11, LogLevel.Warning, "Connection {ConnectionId} from {Remote}: handshake of host {HostName} refused: {Reason}")]
    private static partial void LogHandshakeRefused(ILogger logger, string connectionId, string remote, string? hostName, string reason);

    [LoggerMessage(13, LogLevel.Warning, "Connection {ConnectionId} from {Remote}: no answer to a ping within {Seconds} s; closing it as dead and releasing its resources.")]
    private static partial void LogPeerSilent(ILogger logger, string connectionId, string remote, double seconds);

    [LoggerMessage(12, LogLevel.Warning, "Connection {ConnectionId} from {Remote}: no handshake within {Seconds} s; closing it.")]
    private static partial void LogHandshakeTimeout(ILogger logger, string connectionId, string remote, double seconds);
}
