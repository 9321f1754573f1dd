using Conductor.Host.Rpc;
using Conductor.Proxy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Conductor.Reliability.Tests;

/// <summary>Half-open connections: the relay freezes without closing either side, and only the pings can tell.</summary>
[TestClass]
public sealed class DeadPeerTests
{
    private static readonly TimeSpan s_interval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan s_timeout = TimeSpan.FromMilliseconds(300);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task HalfOpenConnection_DetectedAndReleasedOnBothSidesByPing()
    {
        CancellationToken token = TestContext.CancellationToken;
        string data = Path.Combine(Path.GetTempPath(), "conductor-reliability", Guid.NewGuid().ToString("N"));
        HostApplicationBuilder builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Services.AddConductorServer(o =>
        {
            o.DataDirectory = data;
            o.TcpEndpoint = "127.0.0.1:0";
            o.PingInterval = s_interval;
            o.PingTimeout = s_timeout;
        });
        using IHost host = builder.Build();
        await host.StartAsync(token);
        try
        {
            ConductorServer server = host.Services.GetRequiredService<ConductorServer>();
            string endpoint = host.Services.GetServices<IHostedService>().OfType<ConductorListener>().Single().Endpoints!.Tcp!;
            await using var relay = new TcpRelay(int.Parse(endpoint[(endpoint.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
            string credential = await Conductor.CrashLoop.ConductorCredentials.IssueAsync(endpoint, data, "host-1", token);
            await using ServiceProvider client = Clients.Create(relay.Endpoint, "host-1", configure: o =>
            {
                o.Credentials = credential;
                o.PingInterval = s_interval;
                o.PingTimeout = s_timeout;
            });
            IConductorConnection connection = client.GetRequiredService<IConductorConnection>();
            await connection.ConnectAsync(token);
            await TestWait.UntilAsync(() => server.ConnectionCount == 1, "the conductor to hold the client's connection", token);

            relay.Freeze();

            // Neither side hears a FIN: the client notices the silent conductor, the conductor the silent client.
            await TestWait.UntilAsync(() => connection.Current is null, "the client to declare the conductor dead", token);
            await TestWait.UntilAsync(() => server.ConnectionCount == 0, "the conductor to close the dead connection and release it", token);

            Assert.IsNull(connection.Current, "The client must hold no connection to a conductor that stopped answering pings.");
            Assert.AreEqual(0, server.ConnectionCount, "The conductor must release a client that stopped answering pings.");
        }
        finally
        {
            await host.StopAsync(token);
            Directory.Delete(data, recursive: true);
        }
    }
}
