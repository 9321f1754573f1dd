using System.Net.Security;
using Conductor.Abstractions;
using Conductor.Abstractions.Wire;
using Conductor.Proxy.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StreamJsonRpc;

namespace Conductor.Proxy.Internal;

/// <summary>
/// Owns the process's one connection to the conductor: connects lazily, handshakes, shares the live
/// <see cref="JsonRpc"/> with every proxy, and reconnects by itself (with capped backoff) after a drop.
/// The call path reads one volatile field when connected; only connecting takes a lock.
/// </summary>
internal sealed partial class ConductorConnection : IConductorConnection, IAsyncDisposable, IDisposable
{
    private readonly ConductorClientOptions _options;
    private readonly ConductorEndpoint _endpoint;
    private readonly HandshakeRequest _handshake;
    private readonly ApiVersionTable _versions;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _disposed = new();
    private volatile ClientSession? _session;
    private Task<ClientSession>? _connecting;
    private volatile Exception? _lastError;

    public ConductorConnection(IOptions<ConductorClientOptions> options, IEnumerable<RegisteredApi> apis, ILogger<ConductorConnection>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _endpoint = ConductorEndpoint.TryParse(_options.Endpoint, out ConductorEndpoint? endpoint)
            ? endpoint
            : _options.ConnectionFactory is not null ? ConductorEndpoint.Label(_options.Endpoint)
            : throw new OptionsValidationException(ConductorClientOptions.SectionName, typeof(ConductorClientOptions), [$"Conductor:Endpoint '{_options.Endpoint}' is not tcp://host:port or unix:/path/to/socket."]);
        _logger = logger ?? NullLogger<ConductorConnection>.Instance;
        _versions = new ApiVersionTable(apis, _options);
        _handshake = new HandshakeRequest
        {
            ClientName = _options.ClientName,
            Role = _options.Role,
            HostName = _options.HostName,
            Credentials = _options.Credentials,
            Apis = _versions.Announcement,
        };
    }

    /// <inheritdoc/>
    public string Endpoint => _endpoint.Text;

    /// <inheritdoc/>
    public HandshakeResponse? Current => _session is { IsClosed: false } s ? s.Handshake : null;

    /// <summary>Gets the options in force.</summary>
    public ConductorClientOptions Options => _options;

    /// <inheritdoc/>
    public async Task<HandshakeResponse> ConnectAsync(CancellationToken cancellationToken)
    {
        using CancellationTokenSource deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.CallTimeout);
        try
        {
            ClientSession session = await GetSessionAsync(deadline.Token).ConfigureAwait(false);
            return session.Handshake;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Unreachable();
        }
    }

    /// <summary>Returns the live session, waiting for a connection if there is none.</summary>
    /// <param name="cancellationToken">The caller's deadline.</param>
    /// <returns>The session.</returns>
    public ValueTask<ClientSession> GetSessionAsync(CancellationToken cancellationToken)
    {
        ClientSession? session = _session;
        return session is { IsClosed: false } ? new(session) : new(WaitForSessionAsync(cancellationToken));
    }

    /// <summary>Builds the error for a caller whose deadline passed while no connection could be made.</summary>
    /// <returns>The exception to throw.</returns>
    public ConductorUnavailableException Unreachable()
    {
        Exception? cause = _lastError;
        string reason = cause is null ? "the first connection attempt has not finished" : cause.Message.TrimEnd('.');
        return new ConductorUnavailableException(
            $"Could not reach the conductor at {_endpoint} within {_options.CallTimeout.TotalSeconds:0.###} s ({reason}). " +
            "Check that the conductor is running and listening on that endpoint, that Conductor:Endpoint is right, and that no firewall is in the way; calls fail until it is reachable and the proxy reconnects by itself.",
            cause);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        await _disposed.CancelAsync().ConfigureAwait(false);
        _session?.Rpc.Dispose();
        _disposed.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task<ClientSession> WaitForSessionAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        Task<ClientSession> connecting;
        lock (_gate)
        {
            if (_session is { IsClosed: false } live)
            {
                return live;
            }

            ThrowIfRecentlyRefused();

            connecting = _connecting ??= Task.Run(ConnectLoopAsync);
        }

        return await connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<ClientSession> ConnectLoopAsync()
    {
        TimeSpan delay = TimeSpan.FromMilliseconds(50);
        int attempt = 0;
        while (true)
        {
            attempt++;
            try
            {
                ClientSession session = await ConnectOnceAsync().ConfigureAwait(false);
                lock (_gate)
                {
                    _session = session;
                    _connecting = null;
                    _lastError = null;
                    ForgetRefusal();
                }

                LogConnected(_logger, _endpoint.Text, session.Handshake.ConnectionId, attempt);
                return session;
            }
            catch (Exception ex) when (ex is ConductorException { ErrorCode: not ConductorErrorCodes.ConductorUnavailable } && !_disposed.IsCancellationRequested)
            {
                // The conductor answered and refused us (versions, credentials): retrying cannot help, so fail the
                // waiting calls with the conductor's own words and let a later call try again (after a pause that
                // grows while refusals repeat, so a host with a bad credential does not hammer the conductor).
                lock (_gate)
                {
                    _connecting = null;
                    _lastError = ex;
                    RememberRefusal((ConductorException)ex);
                }

                LogRefused(_logger, _endpoint.Text, ex.Message);
                throw;
            }
            catch (Exception ex) when (!_disposed.IsCancellationRequested)
            {
                _lastError = ex;
                if (attempt == 1 || attempt % 30 == 0)
                {
                    LogConnectFailed(_logger, _endpoint.Text, attempt, ex.Message);
                }

                await Task.Delay(delay, _disposed.Token).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
            }
        }
    }

    private async Task<ClientSession> ConnectOnceAsync()
    {
        using CancellationTokenSource timeout = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token);
        timeout.CancelAfter(_options.ConnectTimeout);
        Stream stream;
        try
        {
            stream = _options.ConnectionFactory is { } factory
                ? await factory(timeout.Token).ConfigureAwait(false)
                : await _endpoint.ConnectAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_disposed.IsCancellationRequested)
        {
            throw new TimeoutException($"connecting took longer than {_options.ConnectTimeout.TotalSeconds:0.###} s");
        }

        // Read anew for every attempt, so that a rotated credential file is picked up without a restart.
        HostCredential? credential;
        try
        {
            credential = CredentialSource.Load(_options);
            if (_endpoint.IsTls)
            {
                stream = await TlsConnector.SecureAsync(stream, _endpoint, _options, timeout.Token).ConfigureAwait(false);
            }
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        string channelBinding = ScramSha256.ChannelBinding((stream as SslStream)?.RemoteCertificate);
        var activity = new PeerActivity();
        var rpc = new JsonRpc(ConductorWireFormat.CreateMessageHandler(activity.Watch(stream)));
        try
        {
            // The conductor pings its clients too, to find the ones that vanished without closing the connection.
            ConductorKeepAlive.AddPingTarget(rpc);
            rpc.StartListening();
            HandshakeResponse response = await ClientAuthenticator.HandshakeAsync(rpc, _handshake, credential, channelBinding, _endpoint.Text, timeout.Token)
                .WaitAsync(timeout.Token).ConfigureAwait(false);
            var session = new ClientSession(rpc, response, _versions.Settle(response, _endpoint.Text));
            rpc.Disconnected += (_, e) => OnDisconnected(session, e);
            _ = ConductorKeepAlive.RunAsync(rpc, _options.PingInterval, _options.PingTimeout, TimeProvider.System, t => LogConductorSilent(_logger, _endpoint.Text, t.TotalSeconds), activity);
            return session;
        }
        catch (OperationCanceledException) when (!_disposed.IsCancellationRequested)
        {
            rpc.Dispose();
            throw new TimeoutException($"the conductor accepted the connection but did not answer the handshake within {_options.ConnectTimeout.TotalSeconds:0.###} s");
        }
        catch (RemoteInvocationException ex)
        {
            rpc.Dispose();
            throw RemoteErrors.ToConductorException(ex, ConductorWire.HandshakeMethod, _endpoint.Text);
        }
        catch
        {
            rpc.Dispose();
            throw;
        }
    }

    private void OnDisconnected(ClientSession session, JsonRpcDisconnectedEventArgs e)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_session, session))
            {
                _session = null;
            }
        }

        if (!_disposed.IsCancellationRequested)
        {
            LogDisconnected(_logger, _endpoint.Text, e.Reason, e.Description);
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Connected to the conductor at {Endpoint} as connection {ConnectionId} after {Attempts} attempt(s).")]
    private static partial void LogConnected(ILogger logger, string endpoint, string connectionId, int attempts);

    [LoggerMessage(2, LogLevel.Warning, "Could not connect to the conductor at {Endpoint} (attempt {Attempt}): {Reason}. Retrying with backoff.")]
    private static partial void LogConnectFailed(ILogger logger, string endpoint, int attempt, string reason);

    [LoggerMessage(3, LogLevel.Warning, "Lost the connection to the conductor at {Endpoint} ({Reason}: {Description}). The next call reconnects.")]
    private static partial void LogDisconnected(ILogger logger, string endpoint, DisconnectedReason reason, string description);

    [LoggerMessage(4, LogLevel.Error, "The conductor at {Endpoint} refused the handshake: {Message}")]
    private static partial void LogRefused(ILogger logger, string endpoint, string message);

    [LoggerMessage(5, LogLevel.Warning, "The conductor at {Endpoint} did not answer a ping within {Seconds} s; closing the connection as dead. The next call reconnects.")]
    private static partial void LogConductorSilent(ILogger logger, string endpoint, double seconds);

    [LoggerMessage(6, LogLevel.Warning, "The connection to the conductor at {Endpoint} was lost while {Method} was in flight; sending it once more after reconnecting (waiting up to {Seconds} s).")]
    private static partial void LogRetryingAfterLoss(ILogger logger, string method, string endpoint, double seconds);
}
