using System.Text.Json;
using Conductor.Abstractions;
using Conductor.Abstractions.Wire;
using Conductor.Proxy.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.Host.Tests.Security;

/// <summary>The wire's limits: requests in flight per connection, message sizes before and after authentication, and errors that say nothing internal.</summary>
[TestClass]
public sealed class WireHardeningTests
{
    [TestMethod]
    public async Task Requests_PipelinedBeyondTheCap_AreNotRunTogether_AndOtherConnectionsAreServed()
    {
        var gate = new BlockingGate();
        await using SecureConductor conductor = await SecureConductor.StartAsync(
            s => s.MaxConcurrentRequestsPerConnection = 4,
            apis: a =>
            {
                a.Services.AddSingleton(gate);
                a.AddApi<IBlockingApi, BlockingRepository>();
            });
        await using RawClient flooder = await RawClient.AuthenticatedAsync(conductor, await conductor.IssueAsync("compute-a"), typeof(IBlockingApi));
        await using RawClient other = await RawClient.AuthenticatedAsync(conductor, await conductor.IssueAsync("compute-b"));

        Task<int>[] calls = [.. Enumerable.Range(0, 12).Select(_ => flooder.CallAsync<int>("blocking.Wait"))];
        await gate.ActiveAsync(4);
        JsonElement served = await other.CallAsync("services.Register", new { binary = "compute-host", version = "1.0.0" });
        gate.Open();
        await Task.WhenAll(calls);

        Assert.AreEqual(4, gate.MaxActive, "One connection must never have more requests running than the cap.");
        Assert.AreEqual("compute-b", served.GetProperty("host").GetString());
    }

    [TestMethod]
    public async Task Frame_OverTheHandshakeLimitBeforeAuthenticating_ClosesTheConnection()
    {
        await using SecureConductor conductor = await SecureConductor.StartAsync();
        await using RawSocket socket = await RawSocket.ConnectAsync(conductor);

        await RawSocket.TryWriteAsync(socket.Stream, RawSocket.Frame(RawSocket.Request(1, ConductorWire.HelloMethod, RawClient.Hello(new string('a', 200), ConductorRole.Compute) with { ClientName = new string('x', 40_000) })));
        await socket.ReadUntilClosedAsync();

        await conductor.Log.WaitForAsync(e => e.Message.Contains("('unauthenticated') closed: a frame was larger than 16384 bytes", StringComparison.Ordinal), SecureConductor.Timeout);
    }

    [TestMethod]
    public async Task Frame_OverMaxMessageBytesAfterAuthenticating_ClosesTheConnection_SmallerOnesAreServed()
    {
        await using SecureConductor conductor = await SecureConductor.StartAsync(conductor: o => o.MaxMessageBytes = 64 * 1024);
        HostCredential credential = await conductor.IssueAsync("compute-a");
        await using RawSocket socket = await RawSocket.ConnectAsync(conductor);
        await socket.AuthenticateAsync(credential);

        await RawSocket.TryWriteAsync(socket.Stream, RawSocket.Frame(RawSocket.Request(3, "services.Register", new { binary = new string('b', 40_000), version = "1.0.0" })));
        JsonElement accepted = await socket.ReadFrameAsync();
        await RawSocket.TryWriteAsync(socket.Stream, RawSocket.Frame(RawSocket.Request(4, "services.Register", new { binary = new string('b', 80_000), version = "1.0.0" })));
        await socket.ReadUntilClosedAsync();

        Assert.AreEqual(3, accepted.GetProperty("id").GetInt32());
        await conductor.Log.WaitForAsync(e => e.Message.Contains("('compute-a') closed: a frame was larger than 65536 bytes", StringComparison.Ordinal), SecureConductor.Timeout);
    }

    [TestMethod]
    public async Task Error_FromAnUnexpectedException_SaysNothingInternal()
    {
        await using SecureConductor conductor = await SecureConductor.StartAsync(apis: a =>
        {
            a.Services.AddSingleton<BlockingGate>();
            a.AddApi<IBlockingApi, BlockingRepository>();
        });
        await using RawClient client = await RawClient.AuthenticatedAsync(conductor, await conductor.IssueAsync("compute-a"), typeof(IBlockingApi));

        RpcError error = await client.FailAsync("blocking.Fail");

        Assert.AreEqual(ConductorErrorCodes.Internal, error.ErrorCode);
        StringAssert.StartsWith(error.Message, "The conductor failed to process blocking.Fail because of an internal error (correlation id ");
        Assert.IsFalse(error.Message.Contains("hunter2", StringComparison.Ordinal) || error.Message.Contains("InvalidOperationException", StringComparison.Ordinal), error.Message);
        Assert.IsNull(error.ErrorData);
    }
}
