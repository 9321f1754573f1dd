using System.Buffers.Text;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using Conductor.Abstractions;
using Conductor.Abstractions.Wire;
using Conductor.Proxy;
using Conductor.Proxy.Security;
using StreamJsonRpc;

namespace Conductor.Host.Tests.Security;

/// <summary>
/// A JSON-RPC client with no manners: what a compromised host could run instead of the proxy. It speaks the wire
/// directly, so a test can send any method with any params, replay messages, and write raw bytes to the socket.
/// </summary>
internal sealed class RawClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;

    private RawClient(TcpClient tcp)
    {
        _tcp = tcp;
        Stream = tcp.GetStream();
        Rpc = new JsonRpc(ConductorWireFormat.CreateMessageHandler(Stream));
        Rpc.StartListening();
    }

    public JsonRpc Rpc { get; }

    /// <summary>Gets the socket's stream, for raw bytes (only while no JSON-RPC message is being written).</summary>
    public NetworkStream Stream { get; }

    /// <summary>Gets the last hello this client sent.</summary>
    public HelloRequest? LastHello { get; private set; }

    /// <summary>Gets the last handshake this client sent.</summary>
    public HandshakeRequest? LastHandshake { get; private set; }

    public static async Task<RawClient> ConnectAsync(SecureConductor conductor)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(conductor.TcpEndPoint);
        return new RawClient(tcp);
    }

    /// <summary>Opens a connection and authenticates with the credential, as the proxy would.</summary>
    public static async Task<RawClient> AuthenticatedAsync(SecureConductor conductor, HostCredential credential, params Type[] moreApis)
    {
        RawClient client = await ConnectAsync(conductor);
        await client.AuthenticateAsync(credential, moreApis);
        return client;
    }

    public static HandshakeRequest Handshake(string hostName, ConductorRole role, string? proof, params Type[] moreApis) => new()
    {
        ClientName = "raw-client",
        Role = role,
        HostName = hostName,
        Apis = BuiltInApis.All.Concat(moreApis).Select(ConductorApiDescriptor.Create).ToDictionary(d => d.Name, d => d.Version.ToString()),
        Credentials = proof,
    };

    public static HelloRequest Hello(string hostName, ConductorRole role, string? nonce = null) => new()
    {
        ClientName = "raw-client",
        Role = role,
        HostName = hostName,
        Mechanism = ConductorWire.ScramSha256,
        ClientNonce = nonce ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)),
    };

    /// <summary>Computes a proof for a hello and its answer with a credential's secret.</summary>
    public static string Proof(HostCredential credential, HelloRequest hello, HelloResponse answer)
    {
        byte[] secret = Base64Url.DecodeFromChars(credential.Export().Split(':')[3]);
        ScramKeys keys = ScramSha256.DeriveKeys(secret, Convert.FromBase64String(answer.Salt), answer.Iterations);
        return Convert.ToBase64String(ScramSha256.ClientProof(keys, ScramSha256.AuthMessage(hello, answer, ScramSha256.NoChannelBinding)));
    }

    public async Task<HelloResponse> HelloAsync(HelloRequest hello)
    {
        LastHello = hello;
        return await CallAsync<HelloResponse>(ConductorWire.HelloMethod, hello);
    }

    public async Task<HandshakeResponse> HandshakeAsync(HandshakeRequest handshake)
    {
        LastHandshake = handshake;
        return await CallAsync<HandshakeResponse>(ConductorWire.HandshakeMethod, handshake);
    }

    public async Task<HandshakeResponse> AuthenticateAsync(HostCredential credential, params Type[] moreApis)
    {
        HelloRequest hello = Hello(credential.Name, credential.Role);
        HelloResponse answer = await HelloAsync(hello);
        return await HandshakeAsync(Handshake(credential.Name, credential.Role, Proof(credential, hello, answer), moreApis));
    }

    public async Task<T> CallAsync<T>(string method, params object?[] arguments)
    {
        using var timeout = new CancellationTokenSource(SecureConductor.Timeout);
        return await Rpc.InvokeWithCancellationAsync<T>(method, arguments, timeout.Token).WaitAsync(SecureConductor.Timeout);
    }

    public Task<JsonElement> CallAsync(string method, params object?[] arguments) => CallAsync<JsonElement>(method, arguments);

    /// <summary>Calls a method that must fail, and returns the error the conductor sent.</summary>
    public async Task<RpcError> FailAsync(string method, params object?[] arguments)
    {
        try
        {
            JsonElement unexpected = await CallAsync<JsonElement>(method, arguments);
            throw new AssertFailedException($"{method} succeeded with {unexpected} but was expected to be refused.");
        }
        catch (RemoteInvocationException ex)
        {
            return new RpcError(ex.ErrorCode, ex.Message, ex.ErrorData);
        }
        catch (RemoteMethodNotFoundException ex)
        {
            return new RpcError((int)ex.ErrorCode, ex.Message, ex.ErrorData);
        }
    }

    /// <summary>Waits until the conductor has closed this connection.</summary>
    public async Task WaitClosedAsync()
    {
        try
        {
            await Rpc.Completion.WaitAsync(SecureConductor.Timeout);
        }
        catch (TimeoutException)
        {
            throw new AssertFailedException("The conductor did not close the connection.");
        }
        catch (Exception ex) when (ex is not AssertFailedException)
        {
            // Closed with an error (a reset, a malformed reply): closed all the same.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Rpc.Dispose();
        await Stream.DisposeAsync();
        _tcp.Dispose();
    }
}
