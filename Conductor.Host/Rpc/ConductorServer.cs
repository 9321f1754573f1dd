using System.Collections.Concurrent;
using System.Reflection;
using Conductor.Abstractions;
using Conductor.Abstractions.Wire;
using Conductor.Host.Versioning;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Conductor.Host.Rpc;

/// <summary>
/// Serves conductor APIs over any duplex stream: TCP and Unix sockets from the listener, in-memory pipes from
/// tests. Holds the live connections, settles versions at handshake, and drains in-flight calls on stop.
/// </summary>
internal sealed partial class ConductorServer : IAsyncDisposable
{
    private readonly IServiceProvider _services;
    private readonly ConductorOptions _options;
    private readonly ILogger _logger;
    private readonly ILogger _sessionLogger;
    private readonly IReadOnlyList<ServedApi> _apis;
    private readonly ConcurrentDictionary<string, RpcSession> _sessions = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ITimer? _keepAlive;
    private int _sweeping;
    private long _inFlight;
    private long _nextConnection;
    private volatile bool _draining;

    public ConductorServer(IServiceProvider services, IEnumerable<ServedApiRegistration> registrations, IOptions<ConductorOptions> options, TimeProvider clock, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _services = services;
        _options = options.Value;
        Clock = clock;
        _logger = loggerFactory.CreateLogger<ConductorServer>();
        _sessionLogger = loggerFactory.CreateLogger("Conductor.Host.Rpc.Connection");
        _apis = registrations.Select(r => r.ApiType).Distinct().Select(t => new ServedApi(t)).ToList();
        foreach (IGrouping<string, ServedApi> clash in _apis.GroupBy(a => a.Descriptor.Name).Where(g => g.Count() > 1))
        {
            throw new InvalidOperationException($"Two served APIs share the name '{clash.Key}' ({string.Join(", ", clash.Select(a => a.Descriptor.InterfaceType.FullName))}). Give each [ConductorApi] its own name.");
        }

        Versions = new VersionNegotiator(_apis, _options);

        // One timer looks at every connection a few times per interval, instead of a timer per connection: with a
        // thousand connections, per-connection timers woke the conductor ~70 times a second for nothing.
        if (_options.PingInterval > TimeSpan.Zero)
        {
            TimeSpan period = _options.PingInterval / KeepAliveLooksPerInterval;
            _keepAlive = clock.CreateTimer(static s => ((ConductorServer)s!).SweepKeepAlive(), this, period, period);
        }
    }

    /// <summary>
    /// How often per <see cref="PingInterval"/> the keep-alive sweep looks at the connections: a silent peer is pinged
    /// between one and 1 + 1/this intervals after it was last heard from.
    /// </summary>
    public const int KeepAliveLooksPerInterval = 4;

    /// <summary>Gets the conductor's name and version, as sent in handshake answers.</summary>
    public static string ServerName { get; } = "conductor/" + (typeof(ConductorServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0");

    public TimeProvider Clock { get; }

    /// <summary>Gets how often each handshaken connection is pinged (zero: never).</summary>
    public TimeSpan PingInterval => _options.PingInterval;

    /// <summary>Gets how long a ping may go unanswered before its connection is closed as dead.</summary>
    public TimeSpan PingTimeout => _options.PingTimeout;

    public IReadOnlyList<ServedApi> Apis => _apis;

    /// <summary>Gets the negotiator, which knows the served versions, pins and minimums.</summary>
    public VersionNegotiator Versions { get; }

    public int ConnectionCount => _sessions.Count;

    public long InFlightCalls => Interlocked.Read(ref _inFlight);

    /// <summary>Serves one connection until it closes.</summary>
    /// <param name="stream">The connection's stream; the server owns it.</param>
    /// <param name="remote">The peer's address, for logs.</param>
    /// <returns>A task that completes when the connection has closed and its resources are released.</returns>
    public async Task ServeAsync(Stream stream, string remote)
    {
        ArgumentNullException.ThrowIfNull(stream);
        string id = "c" + Interlocked.Increment(ref _nextConnection).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var session = new RpcSession(this, stream, remote, id, _services, _sessionLogger);
        _sessions[id] = session;
        LogAccepted(_logger, id, remote);
        try
        {
            session.Start(_options.HandshakeTimeout);
            await session.Completion.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogConnectionFault(_logger, id, remote, ex.Message);
        }
        finally
        {
            _sessions.TryRemove(id, out _);
            await session.DisposeAsync().ConfigureAwait(false);
            LogClosed(_logger, id, remote);
        }
    }

    /// <summary>
    /// Settles, per API the caller's role may use, the version both sides speak (see <see cref="VersionNegotiator"/>).
    /// </summary>
    /// <param name="request">The handshake.</param>
    /// <returns>The settled versions and what the connection may call.</returns>
    /// <exception cref="InvalidRequestException">The handshake is malformed.</exception>
    /// <exception cref="VersionNotSupportedException">A major version differs, or the client is too old.</exception>
    public Negotiation Negotiate(HandshakeRequest request)
    {
        HandshakeRules.Validate(request);
        return Versions.Negotiate(request);
    }

    public void EnterCall() => Interlocked.Increment(ref _inFlight);

    public void ExitCall()
    {
        if (Interlocked.Decrement(ref _inFlight) == 0 && _draining)
        {
            _drained.TrySetResult();
        }
    }

    /// <summary>Waits, up to <paramref name="timeout"/>, until no call is in flight.</summary>
    /// <param name="timeout">The bound.</param>
    /// <returns>Whether every call finished in time.</returns>
    public async Task<bool> DrainAsync(TimeSpan timeout)
    {
        _draining = true;
        if (InFlightCalls == 0)
        {
            _drained.TrySetResult();
        }

        try
        {
            await _drained.Task.WaitAsync(timeout, Clock).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            LogDrainTimeout(_logger, InFlightCalls, timeout.TotalSeconds);
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _keepAlive?.Dispose();
        await Task.WhenAll(_sessions.Values.Select(s => s.DisposeAsync().AsTask())).ConfigureAwait(false);
    }

    private void SweepKeepAlive()
    {
        // A sweep that outlasts the period (a stalled machine) is not run twice at once.
        if (Interlocked.Exchange(ref _sweeping, 1) != 0)
        {
            return;
        }

        try
        {
            long now = Clock.GetTimestamp();
            foreach (KeyValuePair<string, RpcSession> session in _sessions)
            {
                session.Value.CheckLiveness(now);
            }
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }

    [LoggerMessage(20, LogLevel.Debug, "Accepted connection {ConnectionId} from {Remote}.")]
    private static partial void LogAccepted(ILogger logger, string connectionId, string remote);

    [LoggerMessage(21, LogLevel.Debug, "Connection {ConnectionId} from {Remote} closed.")]
    private static partial void LogClosed(ILogger logger, string connectionId, string remote);

    [LoggerMessage(22, LogLevel.Information, "Connection {ConnectionId} from {Remote} ended with an error: {Reason}")]
    private static partial void LogConnectionFault(ILogger logger, string connectionId, string remote, string reason);

    [LoggerMessage(23, LogLevel.Warning, "{Count} call(s) were still in flight after {Seconds} s of draining; closing their connections.")]
    private static partial void LogDrainTimeout(ILogger logger, long count, double seconds);
}
