using Conductor.Abstractions;
using Conductor.Abstractions.Compute;
using Conductor.Proxy;
using Microsoft.Extensions.DependencyInjection;
using Nerdbank.Streams;

namespace Conductor.Benchmarks.Infrastructure;

/// <summary>
/// A compute process in miniature: its own DI container with <c>AddConductorClient</c>, so its repositories are the
/// Castle proxies compute runs, over the one connection the container owns.
/// </summary>
public sealed class ProxyClient : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private ProxyClient(ServiceProvider provider)
    {
        _provider = provider;
        Instances = provider.GetRequiredService<IInstanceRepository>();
    }

    /// <summary>Gets the instance repository proxy.</summary>
    public IInstanceRepository Instances { get; }

    /// <summary>Connects over loopback TCP.</summary>
    /// <param name="conductor">The conductor.</param>
    /// <returns>The connected client.</returns>
    public static Task<ProxyClient> ConnectTcpAsync(BenchConductor conductor) =>
        ConnectAsync(conductor, o => o.Endpoint = conductor.TcpEndpoint);

    /// <summary>Connects over an in-memory duplex pipe served by the conductor's RPC server.</summary>
    /// <param name="conductor">The conductor.</param>
    /// <returns>The connected client.</returns>
    public static Task<ProxyClient> ConnectPipeAsync(BenchConductor conductor) =>
        ConnectAsync(conductor, o =>
        {
            o.Endpoint = "memory://conductor";
            o.ConnectionFactory = cancellationToken =>
            {
                (Stream client, Stream server) = FullDuplexStream.CreatePair();
                _ = conductor.Server.ServeAsync(server, "memory");
                return new ValueTask<Stream>(client);
            };
        });

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _provider.DisposeAsync();

    private static async Task<ProxyClient> ConnectAsync(BenchConductor conductor, Action<ConductorClientOptions> transport)
    {
        var services = new ServiceCollection();
        services.AddConductorClient(o =>
        {
            o.HostName = BenchConductor.HostName;
            o.Credentials = conductor.Credential.Export();
            o.Role = ConductorRole.Compute;
            o.ClientName = "benchmarks";
            transport(o);
        });
        ServiceProvider provider = services.BuildServiceProvider();
        try
        {
            await provider.GetRequiredService<IConductorConnection>().ConnectAsync(CancellationToken.None).ConfigureAwait(false);
            return new ProxyClient(provider);
        }
        catch
        {
            await provider.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
