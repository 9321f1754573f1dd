using Conductor.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.Proxy.Tests;

[TestClass]
public sealed class ProxyCallTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Call_OverSharedConnection_ReturnsResultAndHandshakesOnce()
    {
        var server = new EchoServer();
        await using ServiceProvider provider = CreateClient(server);
        var echo = provider.GetRequiredService<IEchoApi>();

        string first = await echo.EchoAsync("one", TestContext.CancellationToken);
        string second = await echo.EchoAsync("two", TestContext.CancellationToken);

        Assert.AreEqual("echo: one", first);
        Assert.AreEqual("echo: two", second);
        Assert.AreEqual(1, server.Connections, "Every proxy call shares one connection.");
        Assert.AreEqual("test-host", server.LastHandshake!.HostName);
        Assert.AreEqual("1.0", server.LastHandshake.Apis["echo"]);
        Assert.AreEqual(
            ConductorApiDescriptor.Create(typeof(Conductor.Abstractions.Compute.IInstanceRepository)).Version.ToString(),
            server.LastHandshake.Apis["instances"],
            "The built-in compute APIs are announced too, at the version this build speaks.");
    }

    [TestMethod]
    [DataRow(ConductorErrorCodes.NotFound, typeof(NotFoundException))]
    [DataRow(ConductorErrorCodes.Conflict, typeof(ConflictException))]
    [DataRow(ConductorErrorCodes.AccessDenied, typeof(AccessDeniedException))]
    [DataRow(ConductorErrorCodes.VersionNotSupported, typeof(VersionNotSupportedException))]
    [DataRow(ConductorErrorCodes.InvalidArgument, typeof(InvalidRequestException))]
    [DataRow(ConductorErrorCodes.NoCapacity, typeof(NoCapacityException))]
    [DataRow(ConductorErrorCodes.StorageFailure, typeof(StorageFailureException))]
    public async Task Call_ServerRaisesErrorCode_ThrowsTypedException(int code, Type expected)
    {
        var server = new EchoServer();
        await using ServiceProvider provider = CreateClient(server);
        var echo = provider.GetRequiredService<IEchoApi>();

        ConductorException error = await Assert.ThrowsAsync<ConductorException>(
            () => echo.FailAsync(code, "Instance 42 was not in the expected state.", TestContext.CancellationToken));

        Assert.IsInstanceOfType(error, expected);
        Assert.AreEqual(code, error.ErrorCode);
        Assert.AreEqual("Instance 42 was not in the expected state.", error.Message);
    }

    [TestMethod]
    public async Task Call_CallerCancels_CancellationReachesServer()
    {
        var server = new EchoServer();
        await using ServiceProvider provider = CreateClient(server);
        var echo = provider.GetRequiredService<IEchoApi>();
        using var cancel = new CancellationTokenSource();

        Task<int> call = echo.BlockAsync(cancel.Token);
        CancellationToken serverToken = await server.Blocked.WaitAsync(s_wait, TestContext.CancellationToken);
        await cancel.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => call);
        var cancelled = new TaskCompletionSource();
        using (serverToken.Register(() => cancelled.TrySetResult()))
        {
            await cancelled.Task.WaitAsync(s_wait, TestContext.CancellationToken);
        }

        Assert.IsTrue(serverToken.IsCancellationRequested, "The cancellation token is sent as $/cancelRequest, not as an argument.");
    }

    [TestMethod]
    public async Task Call_ServerNeverAnswers_FailsAfterCallTimeoutNamingEndpoint()
    {
        var server = new EchoServer();
        await using ServiceProvider provider = CreateClient(server, o => o.CallTimeout = TimeSpan.FromMilliseconds(500));
        var echo = provider.GetRequiredService<IEchoApi>();

        var started = System.Diagnostics.Stopwatch.StartNew();
        // Block is not [SafeToRetry] and has no request id: for all the caller knows it is a write that may have applied.
        WriteOutcomeUnknownException error = await Assert.ThrowsExactlyAsync<WriteOutcomeUnknownException>(() => echo.BlockAsync(TestContext.CancellationToken));

        Assert.IsLessThan(TimeSpan.FromSeconds(5), started.Elapsed, "The deadline bounds the call (10x margin).");
        StringAssert.Contains(error.Message, "memory://echo");
        StringAssert.Contains(error.Message, "did not answer echo.Block");
        StringAssert.Contains(error.Message, "carries no request id");
    }

    [TestMethod]
    public void AddConductorClient_CalledTwice_RegistersEachApiOnce()
    {
        var services = new ServiceCollection();
        services.AddConductorClient().AddApi<IEchoApi>();
        services.AddConductorClient().AddApi<IEchoApi>();

        Assert.AreEqual(1, services.Count(d => d.ServiceType == typeof(IEchoApi)));
        Assert.AreEqual(1, services.Count(d => d.ServiceType == typeof(Conductor.Abstractions.Compute.IInstanceRepository)));
    }

    [TestMethod]
    public void AddApi_InterfaceWithoutAttribute_ThrowsNamingTheFix()
    {
        var services = new ServiceCollection();

        ArgumentException error = Assert.ThrowsExactly<ArgumentException>(() => services.AddConductorClient().AddApi<IDisposableApi>());

        StringAssert.Contains(error.Message, "has no [ConductorApi] attribute");
    }

    private static ServiceProvider CreateClient(EchoServer server, Action<ConductorClientOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddConductorClient(o =>
            {
                o.Endpoint = "memory://echo";
                o.HostName = "test-host";
                o.ConnectionFactory = server.ConnectAsync;
                configure?.Invoke(o);
            })
            .AddApi<IEchoApi>();
        return services.BuildServiceProvider();
    }
}
