using System.Net.Sockets;
using Conductor.Abstractions;
using Conductor.Abstractions.Compute;
using Conductor.Abstractions.Wire;
using Conductor.Proxy;
using Conductor.Proxy.Internal;
using Conductor.Proxy.Security;
using Nerdbank.Streams;
using StreamJsonRpc;

namespace Conductor.Benchmarks.Infrastructure;

/// <summary>
/// StreamJsonRpc's own proxy (<see cref="JsonRpc.Attach{T}(JsonRpcProxyOptions)"/>) on the same transport and
/// formatter as the conductor's proxy: the yardstick for the cost of the Castle proxy layer (interceptor, invoker,
/// deadline, typed errors).
/// </summary>
public sealed class AttachClient : IDisposable
{
    private readonly JsonRpc _rpc;

    private AttachClient(JsonRpc rpc, IInstanceRepository instances)
    {
        _rpc = rpc;
        Instances = instances;
    }

    /// <summary>Gets StreamJsonRpc's proxy of the instance repository.</summary>
    public IInstanceRepository Instances { get; }

    /// <summary>Connects over loopback TCP, handshakes, and attaches the proxy.</summary>
    /// <param name="conductor">The conductor.</param>
    /// <returns>The connected client.</returns>
    public static async Task<AttachClient> ConnectTcpAsync(BenchConductor conductor)
    {
        var uri = new Uri(conductor.TcpEndpoint);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(uri.Host, uri.Port).ConfigureAwait(false);
        return await ConnectAsync(new NetworkStream(socket, ownsSocket: true), conductor).ConfigureAwait(false);
    }

    /// <summary>Connects over an in-memory duplex pipe served by the conductor's RPC server, handshakes, and attaches the proxy.</summary>
    /// <param name="conductor">The conductor.</param>
    /// <returns>The connected client.</returns>
    public static Task<AttachClient> ConnectPipeAsync(BenchConductor conductor)
    {
        (Stream client, Stream server) = FullDuplexStream.CreatePair();
        _ = conductor.Server.ServeAsync(server, "memory");
        return ConnectAsync(client, conductor);
    }

    /// <inheritdoc/>
    public void Dispose() => _rpc.Dispose();

    private static async Task<AttachClient> ConnectAsync(Stream stream, BenchConductor conductor)
    {
        var rpc = new JsonRpc(ConductorWireFormat.CreateMessageHandler(stream));
        try
        {
            rpc.StartListening();
            ConductorApiDescriptor api = ConductorApiDescriptor.Create(typeof(IInstanceRepository));
            // The same opening as the conductor's own client (SCRAM hello and handshake); only the calls after it are measured.
            await ClientAuthenticator.HandshakeAsync(
                rpc,
                new HandshakeRequest
                {
                    ClientName = "benchmarks-attach",
                    Role = ConductorRole.Compute,
                    HostName = BenchConductor.HostName,
                    Apis = new Dictionary<string, string> { [api.Name] = api.Version.ToString() },
                },
                conductor.Credential,
                ScramSha256.NoChannelBinding,
                "benchmarks-attach",
                CancellationToken.None).ConfigureAwait(false);
            IInstanceRepository proxy = rpc.Attach<IInstanceRepository>(new JsonRpcProxyOptions
            {
                MethodNameTransform = member => ApiNames.MethodName(api.Name, member),
            });
            return new AttachClient(rpc, proxy);
        }
        catch
        {
            rpc.Dispose();
            throw;
        }
    }
}
