using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace Conductor.Proxy.Internal;

/// <summary>A parsed conductor endpoint: <c>tcp://host:port</c>, <c>tls://host:port</c> (TCP with TLS) or <c>unix:/path</c>.</summary>
internal sealed class ConductorEndpoint
{
    private ConductorEndpoint(string text, string? host, int port, string? socketPath)
    {
        Text = text;
        Host = host;
        Port = port;
        SocketPath = socketPath;
    }

    /// <summary>Gets the endpoint as configured, for messages.</summary>
    public string Text { get; }

    /// <summary>Gets the TCP host, or <see langword="null"/> for a Unix socket.</summary>
    public string? Host { get; }

    /// <summary>Gets the TCP port.</summary>
    public int Port { get; }

    /// <summary>Gets the Unix socket path, or <see langword="null"/> for TCP.</summary>
    public string? SocketPath { get; }

    /// <summary>Gets whether the endpoint is <c>tls://</c>: TCP wrapped in TLS.</summary>
    public bool IsTls => Text.StartsWith("tls:", StringComparison.OrdinalIgnoreCase);

    /// <summary>Names a transport that <see cref="ConductorClientOptions.ConnectionFactory"/> opens, for messages only.</summary>
    /// <param name="text">The name.</param>
    /// <returns>An endpoint that cannot connect by itself.</returns>
    public static ConductorEndpoint Label(string text) => new(text, null, 0, null);

    public static bool TryParse(string? text, [NotNullWhen(true)] out ConductorEndpoint? endpoint)
    {
        endpoint = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (text.StartsWith("unix:", StringComparison.OrdinalIgnoreCase))
        {
            string path = text["unix:".Length..];
            if (path.StartsWith("//", StringComparison.Ordinal))
            {
                path = path[2..];
            }

            if (path.Length == 0)
            {
                return false;
            }

            endpoint = new ConductorEndpoint(text, null, 0, path);
            return true;
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) && uri.Scheme is "tcp" or "tls" && uri.Port is > 0 and <= 65535 && uri.Host.Length > 0)
        {
            endpoint = new ConductorEndpoint(text, uri.Host, uri.Port, null);
            return true;
        }

        return false;
    }

    /// <summary>Opens a connected socket stream to the endpoint.</summary>
    /// <param name="cancellationToken">Bounds the attempt.</param>
    /// <returns>The stream, which owns the socket.</returns>
    public async ValueTask<Stream> ConnectAsync(CancellationToken cancellationToken)
    {
        Socket socket;
        EndPoint remote;
        if (SocketPath is not null)
        {
            socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            remote = new UnixDomainSocketEndPoint(SocketPath);
        }
        else
        {
            socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            remote = IPAddress.TryParse(Host, out IPAddress? address) ? new IPEndPoint(address, Port) : new DnsEndPoint(Host!, Port);
        }

        try
        {
            await socket.ConnectAsync(remote, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public override string ToString() => Text;
}
