using Conductor.Abstractions;
using Conductor.Abstractions.Compute;
using Conductor.Abstractions.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Conductor.Proxy.Tests;

[TestClass]
public sealed class DatabaseGuardTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void Resolve_DatabaseInClientProcess_ThrowsNotAllowedNamingProcessAndFix()
    {
        var services = new ServiceCollection();
        services.AddConductorClient();
        using ServiceProvider provider = services.BuildServiceProvider();

        DatabaseAccessNotAllowedException error = Assert.ThrowsExactly<DatabaseAccessNotAllowedException>(() => provider.GetRequiredService<IConductorDatabase>());

        Assert.AreEqual(ConductorErrorCodes.DatabaseAccessNotAllowed, error.ErrorCode);
        Assert.StartsWith(Internal.DatabaseAccessGuard.ProcessName + " attempted direct database access (it asked for IConductorDatabase), which is not allowed by policy", error.Message);
        StringAssert.Contains(error.Message, "registered by services.AddConductorClient()");
    }

    [TestMethod]
    public async Task StartHost_DirectRepositoryRegistered_FailsListingIt()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Services.AddConductorClient();
        builder.Services.AddSingleton<IInstanceRepository, DirectInstanceRepository>();
        builder.Services.AddSingleton<IServiceRepository, DatabaseBackedServiceRepository>();
        using IHost host = builder.Build();

        OptionsValidationException error = await Assert.ThrowsExactlyAsync<OptionsValidationException>(() => host.StartAsync(TestContext.CancellationToken));

        StringAssert.Contains(error.Message, "disabled direct database access, but 2 service registration(s) would reach the database");
        StringAssert.Contains(error.Message, $"IInstanceRepository -> {typeof(DirectInstanceRepository).FullName} (marked IDirectRepository)");
        StringAssert.Contains(error.Message, $"IServiceRepository -> {typeof(DatabaseBackedServiceRepository).FullName} (built on IConductorDatabase)");
    }

    [TestMethod]
    public async Task StartHost_FakesRegisteredInPlaceOfProxies_Starts()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Services.AddConductorClient();
        builder.Services.AddSingleton<IServiceRepository, FakeServiceRepository>();
        using IHost host = builder.Build();

        await host.StartAsync(TestContext.CancellationToken);
        await host.StopAsync(TestContext.CancellationToken);

        Assert.IsInstanceOfType<FakeServiceRepository>(host.Services.GetRequiredService<IServiceRepository>());
    }
}
