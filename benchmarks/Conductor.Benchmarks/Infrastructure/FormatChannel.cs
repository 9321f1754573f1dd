using System.Net;
using System.Net.Sockets;
using Conductor.Abstractions.Compute;
using Conductor.Proxy;
using MessagePack;
using MessagePack.Resolvers;
using Nerdbank.Streams;
using StreamJsonRpc;

namespace Conductor.Benchmarks.Infrastructure;

/// <summary>
/// One StreamJsonRpc connection in a given <see cref="WireFormat"/>: a server <see cref="JsonRpc"/> serving a direct
/// instance repository as its target, and a client <c>JsonRpc.Attach&lt;IInstanceRepository&gt;</c> proxy, over an
/// in-memory pipe or loopback TCP. Only the formatter and its framing differ between formats; the client's stream
/// counts the bytes on the wire.
/// </summary>
public sealed class FormatChannel : IDisposable
{
    private static readonly MessagePackSerializerOptions s_messagePackOptions =
        MessagePackSerializerOptions.Standard.WithResolver(ContractlessStandardResolver.Instance).WithSecurity(MessagePackSecurity.UntrustedData);

    private readonly JsonRpc _server;
    private readonly JsonRpc _client;

    private FormatChannel(JsonRpc server, JsonRpc client, CountingStream wire)
    {
        _server = server;
        _client = client;
        Wire = wire;
        Instances = client.Attach<IInstanceRepository>();
    }

    /// <summary>Gets StreamJsonRpc's proxy of the instance repository.</summary>
    public IInstanceRepository Instances { get; }

    /// <summary>Gets the client's end of the connection, which counts the bytes sent and received.</summary>
    public CountingStream Wire { get; }

    /// <summary>Connects a client to a server that serves <paramref name="target"/>, both in <paramref name="format"/>.</summary>
    /// <param name="target">The repository the server calls (a direct repository).</param>
    /// <param name="format">The format.</param>
    /// <param name="transport"><see cref="Transport.Pipe"/> or <see cref="Transport.Tcp"/>.</param>
    /// <returns>The connected channel.</returns>
    public static async Task<FormatChannel> ConnectAsync(IInstanceRepository target, WireFormat format, Transport transport)
    {
        Stream clientStream, serverStream;
        if (transport == Transport.Tcp)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            Task<Socket> accepted = listener.AcceptSocketAsync();
            await socket.ConnectAsync((IPEndPoint)listener.LocalEndpoint).ConfigureAwait(false);
            Socket serverSocket = await accepted.ConfigureAwait(false);
            serverSocket.NoDelay = true;
            clientStream = new NetworkStream(socket, ownsSocket: true);
            serverStream = new NetworkStream(serverSocket, ownsSocket: true);
        }
        else
        {
            (clientStream, serverStream) = FullDuplexStream.CreatePair();
        }

        var server = new JsonRpc(CreateHandler(serverStream, format));
        server.AddLocalRpcTarget(target, null);
        server.StartListening();
        var wire = new CountingStream(clientStream);
        var client = new JsonRpc(CreateHandler(wire, format));
        client.StartListening();
        return new FormatChannel(server, client, wire);
    }

    /// <summary>Creates the message handler for one end of a connection in <paramref name="format"/>.</summary>
    /// <param name="stream">The connection's stream.</param>
    /// <param name="format">The format.</param>
    /// <returns>The handler.</returns>
    public static IJsonRpcMessageHandler CreateHandler(Stream stream, WireFormat format)
    {
        if (format == WireFormat.Json)
        {
            return ConductorWireFormat.CreateMessageHandler(stream);
        }

        var formatter = new MessagePackFormatter();
        formatter.SetMessagePackSerializerOptions(s_messagePackOptions);
        return new LengthHeaderMessageHandler(stream, stream, formatter);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _client.Dispose();
        _server.Dispose();
    }
}
