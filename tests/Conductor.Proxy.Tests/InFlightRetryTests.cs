using Conductor.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.Proxy.Tests;

[TestClass]
public sealed class InFlightRetryTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task SafeToRetryCall_ConnectionLostInFlight_RepeatedOnceAfterReconnect()
    {
        var server = new DroppingServer(drops: 1);
        await using ServiceProvider provider = CreateClient(server);

        int answer = await provider.GetRequiredService<IRetryProbeApi>().ReadAsync(TestContext.CancellationToken);

        Assert.AreEqual(2, answer);
        CollectionAssert.AreEqual(new[] { "read", "read" }, server.Calls);
    }

    [TestMethod]
    public async Task WriteWithRequestId_ConnectionLostInFlight_ResentOnceWithTheSameId()
    {
        var server = new DroppingServer(drops: 1);
        await using ServiceProvider provider = CreateClient(server);
        var write = new ProbeWrite();

        int answer = await provider.GetRequiredService<IRetryProbeApi>().WriteAsync(write, TestContext.CancellationToken);

        Assert.AreEqual(2, answer);
        CollectionAssert.AreEqual(new[] { "write " + write.RequestId, "write " + write.RequestId }, server.Calls);
    }

    [TestMethod]
    public async Task WriteWithoutRequestId_ConnectionLostInFlight_OutcomeUnknownAndNotResent()
    {
        var server = new DroppingServer(drops: 1);
        await using ServiceProvider provider = CreateClient(server);

        WriteOutcomeUnknownException error = await Assert.ThrowsExactlyAsync<WriteOutcomeUnknownException>(
            () => provider.GetRequiredService<IRetryProbeApi>().TouchAsync(TestContext.CancellationToken));

        Assert.IsNull(error.RequestId);
        StringAssert.Contains(error.Message, "was lost while probe.Touch was in flight");
        StringAssert.Contains(error.Message, "carries no request id, so the proxy did not resend it");
        CollectionAssert.AreEqual(new[] { "touch" }, server.Calls);
    }

    [TestMethod]
    public async Task WriteWithRequestId_LostAgainOnResend_OutcomeUnknownNamingTheRequestId()
    {
        var server = new DroppingServer(drops: 2);
        await using ServiceProvider provider = CreateClient(server);
        var write = new ProbeWrite();

        WriteOutcomeUnknownException error = await Assert.ThrowsExactlyAsync<WriteOutcomeUnknownException>(
            () => provider.GetRequiredService<IRetryProbeApi>().WriteAsync(write, TestContext.CancellationToken));

        Assert.AreEqual(write.RequestId, error.RequestId);
        StringAssert.Contains(error.Message, "retry with the same request object");
        Assert.HasCount(2, server.Calls, "Resent once, not more.");
    }

    private static ServiceProvider CreateClient(DroppingServer server)
    {
        var services = new ServiceCollection();
        services.AddConductorClient(o =>
            {
                o.Endpoint = "memory://probe";
                o.ConnectionFactory = server.ConnectAsync;
                o.HostName = "test-host";
                o.CallTimeout = TimeSpan.FromSeconds(30);
                o.InFlightRetryWindow = TimeSpan.FromSeconds(30);
                o.MaxReconnectDelay = TimeSpan.FromMilliseconds(50);
            })
            .AddApi<IRetryProbeApi>();
        return services.BuildServiceProvider();
    }
}
