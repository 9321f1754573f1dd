using Conductor.Abstractions;
using Conductor.Abstractions.Compute;
using Conductor.Host.Rpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Conductor.Host.Tests.CustomApi;

/// <summary>
/// "Library, not only an app": a team serves its own API through one registration on the conductor and proxies it
/// through the same DI call that wires the built-in domain, over real TCP.
/// </summary>
[TestClass]
public sealed class CustomApiTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private IHost _conductor = null!;
    private string _dataDirectory = null!;
    private string _endpoint = null!;
    private ServiceProvider _client = null!;

    [TestInitialize]
    public async Task StartAsync()
    {
        _dataDirectory = Path.Combine(Path.GetTempPath(), "conductor-tests", Guid.NewGuid().ToString("N"));
        HostApplicationBuilder builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<InventoryStock>();
        builder.Services
            .AddConductorServer(o =>
            {
                o.DataDirectory = _dataDirectory;
                o.TcpEndpoint = "127.0.0.1:0";
            })
            .AddApi<IInventoryApi, InventoryRepository>();
        _conductor = builder.Build();
        InventoryStock stock = _conductor.Services.GetRequiredService<InventoryStock>();
        stock.Lines["disk-1tb"] = 3;
        stock.Lines["nic-25g"] = 8;
        await _conductor.StartAsync();
        _endpoint = _conductor.Services.GetServices<IHostedService>().OfType<ConductorListener>().Single().Endpoints!.Tcp!;

        var services = new ServiceCollection();
        services.AddConductorClient(o =>
            {
                o.Endpoint = _endpoint;
                o.HostName = "compute-7";
                o.ClientName = "inventory-tests";
                o.CallTimeout = Timeout;
            })
            .AddApi<IInventoryApi>();
        _client = services.BuildServiceProvider();
    }

    [TestCleanup]
    public async Task StopAsync()
    {
        await _client.DisposeAsync();
        await _conductor.StopAsync();
        _conductor.Dispose();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [TestMethod]
    public async Task A_custom_api_is_served_with_the_callers_identity_from_the_connection()
    {
        IInventoryApi inventory = _client.GetRequiredService<IInventoryApi>();

        InventoryItem item = await inventory.GetAsync("disk-1tb", CancellationToken.None).WaitAsync(Timeout);

        Assert.AreEqual(new InventoryItem { Sku = "disk-1tb", Available = 3, AskedBy = "compute-7" }, item);
    }

    [TestMethod]
    public async Task A_custom_api_writes_and_its_typed_errors_cross_the_wire()
    {
        IInventoryApi inventory = _client.GetRequiredService<IInventoryApi>();

        InventoryItem reserved = await inventory.ReserveAsync(new InventoryReservation { Sku = "disk-1tb", Count = 2 }, CancellationToken.None).WaitAsync(Timeout);
        ConflictException conflict = await Assert.ThrowsExactlyAsync<ConflictException>(
            () => inventory.ReserveAsync(new InventoryReservation { Sku = "disk-1tb", Count = 2 }, CancellationToken.None).WaitAsync(Timeout));
        NotFoundException missing = await Assert.ThrowsExactlyAsync<NotFoundException>(
            () => inventory.GetAsync("gpu-a100", CancellationToken.None).WaitAsync(Timeout));
        InvalidRequestException invalid = await Assert.ThrowsExactlyAsync<InvalidRequestException>(
            () => inventory.ReserveAsync(new InventoryReservation { Sku = "nic-25g", Count = 0 }, CancellationToken.None).WaitAsync(Timeout));

        Assert.AreEqual(1, reserved.Available);
        Assert.AreEqual("Only 1 units of 'disk-1tb' are left. Reserve fewer.", conflict.Message);
        Assert.AreEqual("There is no stock line 'gpu-a100'. Check the SKU.", missing.Message);
        Assert.AreEqual("A reservation must be for at least one unit. Send a positive count.", invalid.Message);
        Assert.AreEqual(8, _conductor.Services.GetRequiredService<InventoryStock>().Lines["nic-25g"], "A refused write must change nothing.");
    }

    [TestMethod]
    public async Task A_custom_api_streams_results()
    {
        IInventoryApi inventory = _client.GetRequiredService<IInventoryApi>();
        var skus = new List<string>();

        using var cancellation = new CancellationTokenSource(Timeout);
        await foreach (InventoryItem item in inventory.ListAsync(cancellation.Token))
        {
            skus.Add(item.Sku);
        }

        CollectionAssert.AreEqual(new[] { "disk-1tb", "nic-25g" }, skus);
    }

    [TestMethod]
    public async Task The_built_in_apis_share_the_connection_with_the_custom_one()
    {
        IInventoryApi inventory = _client.GetRequiredService<IInventoryApi>();
        IServiceRepository services = _client.GetRequiredService<IServiceRepository>();

        ServiceRecord record = await services.RegisterAsync(new ServiceRegistration { Binary = "inventory-tests", Version = "1.0.0" }, CancellationToken.None).WaitAsync(Timeout);
        InventoryItem item = await inventory.GetAsync("nic-25g", CancellationToken.None).WaitAsync(Timeout);

        Assert.AreEqual("compute-7", record.Host);
        Assert.AreEqual("compute-7", item.AskedBy);
    }

    [TestMethod]
    public void The_compute_side_of_a_custom_api_still_refuses_the_database()
    {
        DatabaseAccessNotAllowedException refused = Assert.ThrowsExactly<DatabaseAccessNotAllowedException>(
            () => _client.GetRequiredService<Conductor.Abstractions.Persistence.IConductorDatabase>());

        StringAssert.Contains(refused.Message, "not allowed by policy");
    }
}
