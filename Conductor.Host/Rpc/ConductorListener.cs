using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Conductor.Abstractions.Persistence;
using Conductor.Host.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Conductor.Host.Rpc;

/// <summary>
/// Opens the database (taking the data directory's owner lock), listens on TCP and/or a Unix socket, hands each
/// accepted connection to the <see cref="ConductorServer"/>, and on stop: stops accepting, drains in-flight calls
/// within <see cref="ConductorOptions.ShutdownTimeout"/> and closes every connection. The database is synced,
/// closed and unlocked when the host disposes it, after this service has stopped.
/// </summary>
internal sealed partial class ConductorListener(
    ConductorServer server,
    TransportSecurity transport,
    IServiceProvider services,
    IOptions<ConductorOptions> options,
    ILogger<ConductorListener> logger) : IHostedService
{
    private readonly List<Socket> _listeners = [];
    private readonly List<Task> _acceptLoops = [];
    private readonly ConductorOptions _options = options.Value;
    private string? _socketPath;

    public EndpointsFile? Endpoints { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Opening the database takes the owner lock: a second conductor fails here, before it listens.
        IConductorDatabase database = services.GetRequiredService<IConductorDatabase>();
        string dataDirectory = Path.GetFullPath(_options.DataDirectory);
        string? tcp = null;
        string? unix = null;
        if (!string.IsNullOrWhiteSpace(_options.TcpEndpoint))
        {
            IPEndPoint endpoint = ParseTcp(_options.TcpEndpoint);
            var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(endpoint);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                throw new InvalidOperationException($"The conductor cannot listen on {_options.TcpEndpoint}: {ex.Message}. Stop whatever uses that port or set Conductor:TcpEndpoint to another address:port.", ex);
            }

            socket.Listen(1024);
            _listeners.Add(socket);
            var bound = (IPEndPoint)socket.LocalEndPoint!;
            tcp = string.Create(CultureInfo.InvariantCulture, $"{(transport.IsEnabled ? "tls" : "tcp")}://{(bound.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{bound.Address}]" : bound.Address.ToString())}:{bound.Port}");
        }

        if (!string.IsNullOrWhiteSpace(_options.UnixSocketPath))
        {
            _socketPath = Path.GetFullPath(_options.UnixSocketPath, dataDirectory);

            // We hold the data directory's owner lock, so a socket file left here is a dead conductor's.
            File.Delete(_socketPath);
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Bind(new UnixDomainSocketEndPoint(_socketPath));
            socket.Listen(1024);
            _listeners.Add(socket);
            unix = "unix:" + _socketPath;
        }

        if (_listeners.Count == 0)
        {
            throw new InvalidOperationException("The conductor has nowhere to listen. Set Conductor:TcpEndpoint (for example 127.0.0.1:7400) or Conductor:UnixSocketPath.");
        }

        foreach (Socket listener in _listeners)
        {
            _acceptLoops.Add(Task.Run(() => AcceptLoopAsync(listener)));
        }

        Endpoints = new EndpointsFile { Tcp = tcp, Unix = unix, ProcessId = Environment.ProcessId };
        Endpoints.Write(dataDirectory);
        LogListening(logger, tcp ?? "-", unix ?? "-", database.Location);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        LogStopping(logger, server.ConnectionCount, server.InFlightCalls);
        foreach (Socket listener in _listeners)
        {
            listener.Dispose();
        }

        await Task.WhenAll(_acceptLoops).ConfigureAwait(false);
        File.Delete(EndpointsFile.PathIn(Path.GetFullPath(_options.DataDirectory)));
        if (_socketPath is not null)
        {
            File.Delete(_socketPath);
        }

        await server.DrainAsync(_options.ShutdownTimeout).ConfigureAwait(false);
        await server.DisposeAsync().ConfigureAwait(false);
        LogStopped(logger);
    }

    private static IPEndPoint ParseTcp(string text) =>
        IPEndPoint.TryParse(text, out IPEndPoint? endpoint)
            ? endpoint
            : throw new InvalidOperationException($"Conductor:TcpEndpoint '{text}' is not address:port (for example 127.0.0.1:7400, or 0.0.0.0:7400 for every interface).");

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ObjectDisposedException or SocketException { SocketErrorCode: SocketError.OperationAborted or SocketError.Interrupted })
            {
                return;
            }
            catch (SocketException ex)
            {
                // Out of descriptors or a reset during accept: keep serving the others.
                LogAcceptFailed(logger, ex.Message);
                continue;
            }

            if (client.AddressFamily != AddressFamily.Unix)
            {
                client.NoDelay = true;
            }

            string remote = client.RemoteEndPoint?.ToString() is { Length: > 0 } r ? r : "unix-socket";
            var stream = new NetworkStream(client, ownsSocket: true);
            _ = transport.IsEnabled && client.AddressFamily != AddressFamily.Unix ? ServeTlsAsync(stream, remote) : server.ServeAsync(stream, remote);
        }
    }

    private async Task ServeTlsAsync(NetworkStream stream, string remote)
    {
        // Unix sockets are protected by the file system; TCP gets TLS, within the handshake deadline.
        if (await transport.AcceptAsync(stream, remote, _options.HandshakeTimeout).ConfigureAwait(false) is { } secured)
        {
            await server.ServeAsync(secured, remote).ConfigureAwait(false);
        }
    }

    [LoggerMessage(30, LogLevel.Information, "Conductor listening on {Tcp} and {Unix}; database {Database}.")]
    private static partial void LogListening(ILogger logger, string tcp, string unix, string database);

    [LoggerMessage(31, LogLevel.Information, "Conductor stopping: no new connections; draining {InFlight} in-flight call(s) on {Connections} connection(s).")]
    private static partial void LogStopping(ILogger logger, int connections, long inFlight);

    [LoggerMessage(32, LogLevel.Information, "Conductor stopped accepting and closed every connection.")]
    private static partial void LogStopped(ILogger logger);

    [LoggerMessage(33, LogLevel.Warning, "Accepting a connection failed: {Reason}")]
    private static partial void LogAcceptFailed(ILogger logger, string reason);
}
