using Conductor.Abstractions;
using Conductor.Abstractions.Compute;
using Conductor.Abstractions.Persistence;
using Conductor.Proxy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Compute.Host.Tests;

[TestClass]
public sealed class ComputeHostBuilderTests
{
    [TestMethod]
    public async Task StartAsync_FakesInPlaceOfProxies_PassesStartupValidation()
    {
        // Arrange
        await using var fakes = new ComputeHostHarness();
        using IHost host = BuildHost(fakes);

        // Act
        await host.StartAsync(TestTimeout.Token);
        string firstCall = await fakes.Services.Calls.Reader.ReadAsync(TestTimeout.Token);
        await host.StopAsync(TestTimeout.Token);

        // Assert
        Assert.AreEqual("register", firstCall);
        Assert.AreSame(fakes.Instances, host.Services.GetRequiredService<IInstanceRepository>());
    }

    [TestMethod]
    public async Task GetRequiredService_ConductorDatabase_ThrowsDatabaseAccessNotAllowedNamingProcessAndFix()
    {
        // Arrange
        await using var harness = new ComputeHostHarness();

        // Act
        var error = Assert.ThrowsExactly<DatabaseAccessNotAllowedException>(() => harness.Provider.GetRequiredService<IConductorDatabase>());

        // Assert
        StringAssert.StartsWith(error.Message, ExpectedProcessName() + " attempted direct database access");
        StringAssert.Contains(error.Message, "not allowed");
        StringAssert.Contains(error.Message, "services.AddConductorClient()");
        StringAssert.Contains(error.Message, nameof(IInstanceRepository));
    }

    [TestMethod]
    public async Task StartAsync_DirectRepositoryRegistered_FailsListingTheRegistration()
    {
        // Arrange
        await using var fakes = new ComputeHostHarness();
        using IHost host = BuildHost(fakes, configure: services => services.AddSingleton<IInstanceRepository, DirectInstanceRepository>());

        // Act
        var error = await Assert.ThrowsExactlyAsync<OptionsValidationException>(() => host.StartAsync(TestTimeout.Token));

        // Assert
        StringAssert.Contains(error.Message, $"{nameof(IInstanceRepository)} -> {typeof(DirectInstanceRepository).FullName} (marked {nameof(IDirectRepository)})");
        StringAssert.Contains(error.Message, "disabled direct database access");
    }

    [TestMethod]
    public async Task StartAsync_InvalidComputeOptions_FailsNamingEverySetting()
    {
        // Arrange
        await using var fakes = new ComputeHostHarness();
        using IHost host = BuildHost(fakes, new Dictionary<string, string?> { ["Compute:HeartbeatInterval"] = "00:00:00", ["Compute:VcpusTotal"] = "-1" });

        // Act
        var error = await Assert.ThrowsExactlyAsync<OptionsValidationException>(() => host.StartAsync(TestTimeout.Token));

        // Assert
        CollectionAssert.Contains(error.Failures.ToList(), "Compute:HeartbeatInterval must be a positive time span (for example 00:00:10), but it is 00:00:00.");
        CollectionAssert.Contains(error.Failures.ToList(), "Compute:VcpusTotal must be a positive number, but it is -1.");
    }

    [TestMethod]
    public void ConfigureServices_NoFakes_RegistersConductorProxiesForEveryComputeApi()
    {
        // Arrange
        var services = new ServiceCollection();
        IConfiguration configuration = new ConfigurationBuilder().Build();
        services.AddSingleton(configuration);
        services.AddLogging();

        // Act
        ComputeHostBuilder.ConfigureServices(services, configuration);
        using ServiceProvider provider = services.BuildServiceProvider();

        // Assert
        foreach (Type api in BuiltInApis.Compute)
        {
            object proxy = provider.GetRequiredService(api);
            Assert.AreEqual("DynamicProxyGenAssembly2", proxy.GetType().Assembly.GetName().Name, $"{api.Name} is not a conductor proxy.");
        }

        StringAssert.StartsWith(provider.GetRequiredService<IOptions<ConductorClientOptions>>().Value.ClientName, "compute-host/");
    }

    private static IHost BuildHost(ComputeHostHarness fakes, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        // Fully qualified: inside Compute.Host.Tests, "Host" names the Compute.Host namespace.
        HostApplicationBuilder builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        ComputeHostBuilder.ConfigureServices(builder.Services, builder.Configuration);
        fakes.RegisterFakes(builder.Services);
        configure?.Invoke(builder.Services);
        return builder.Build();
    }

    // The same rule as the proxy's database guard: the executable's name, or the app's name under "dotnet".
    private static string ExpectedProcessName() =>
        Path.GetFileNameWithoutExtension(Environment.ProcessPath) is { Length: > 0 } name && name != "dotnet" ? name : AppDomain.CurrentDomain.FriendlyName;
}
