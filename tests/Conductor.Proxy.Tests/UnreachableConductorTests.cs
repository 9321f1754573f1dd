using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Conductor.Abstractions;
using Conductor.Abstractions.Compute;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.Proxy.Tests;

[TestClass]
public sealed class UnreachableConductorTests
{
    private static readonly TimeSpan s_bound = TimeSpan.FromMilliseconds(800);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Call_ConnectionRefused_FailsWithinBoundNamingEndpoint()
    {
        int port = FreePort();
        await using ServiceProvider provider = CreateClient($"tcp://127.0.0.1:{port}");
        var services = provider.GetRequiredService<IServiceRepository>();

        var watch = Stopwatch.StartNew();
        ConductorUnavailableException error = await Assert.ThrowsExactlyAsync<ConductorUnavailableException>(() => services.GetAsync(TestContext.CancellationToken));

        Assert.IsLessThan(s_bound * 10, watch.Elapsed, "An unreachable conductor fails the call after the configured bound (10x margin).");
        StringAssert.Contains(error.Message, $"tcp://127.0.0.1:{port}");
        StringAssert.Contains(error.Message, "Check that the conductor is running");
    }

    [TestMethod]
    public async Task Call_ConductorAcceptsButNeverAnswers_FailsWithinBoundSayingSo()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = new List<Socket>();
        Task acceptLoop = Task.Run(async () =>
        {
            while (true)
            {
                Socket socket;
                try
                {
                    socket = await listener.AcceptSocketAsync(TestContext.CancellationToken);
                }
                catch (Exception ex) when (ex is ObjectDisposedException or SocketException or OperationCanceledException)
                {
                    return;
                }

                lock (accepted)
                {
                    accepted.Add(socket);
                }
            }
        });
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using ServiceProvider provider = CreateClient($"tcp://127.0.0.1:{port}");
        var instances = provider.GetRequiredService<IInstanceRepository>();

        var watch = Stopwatch.StartNew();
        ConductorUnavailableException error = await Assert.ThrowsExactlyAsync<ConductorUnavailableException>(
            () => instances.GetAsync(Guid.NewGuid(), TestContext.CancellationToken));

        Assert.IsLessThan(s_bound * 10, watch.Elapsed, "A silent conductor fails the call after the configured bound (10x margin).");
        StringAssert.Contains(error.Message, $"tcp://127.0.0.1:{port}");
        StringAssert.Contains(error.Message, "did not answer the handshake");
        listener.Stop();
        await acceptLoop;
        lock (accepted)
        {
            Assert.IsNotEmpty(accepted, "The proxy did connect; the conductor just never answered.");
            accepted.ForEach(s => s.Dispose());
        }
    }

    private static ServiceProvider CreateClient(string endpoint)
    {
        var services = new ServiceCollection();
        services.AddConductorClient(o =>
        {
            o.Endpoint = endpoint;
            o.HostName = "compute-1";
            o.ConnectTimeout = s_bound / 2;
            o.CallTimeout = s_bound;
        });
        return services.BuildServiceProvider();
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
