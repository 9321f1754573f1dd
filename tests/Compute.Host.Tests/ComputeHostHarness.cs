using Compute.Host.Heartbeat;
using Compute.Host.Hypervisor;
using Compute.Host.Lifecycle;
using Compute.Host.Tests.Fakes;
using Conductor.Abstractions.Compute;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Compute.Host.Tests;

/// <summary>
/// The compute host's real registrations (<see cref="ComputeHostBuilder.ConfigureServices"/>) with in-memory fakes
/// registered in place of the four conductor proxies, the hypervisor and the clock.
/// </summary>
internal sealed class ComputeHostHarness : IAsyncDisposable
{
    public ComputeHostHarness(IDictionary<string, string?>? settings = null)
    {
        Time = new SignallingTimeProvider();
        Instances = new FakeInstanceRepository(Time);
        Actions = new FakeInstanceActionRepository(Instances, Time);
        Services = new FakeServiceRepository(Time);
        Nodes = new FakeComputeNodeRepository(Time);
        Driver = new FakeHypervisorDriver();

        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging();
        ComputeHostBuilder.ConfigureServices(services, configuration);
        RegisterFakes(services);
        Provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public SignallingTimeProvider Time { get; }

    public FakeInstanceRepository Instances { get; }

    public FakeInstanceActionRepository Actions { get; }

    public FakeServiceRepository Services { get; }

    public FakeComputeNodeRepository Nodes { get; }

    public FakeHypervisorDriver Driver { get; }

    public ServiceProvider Provider { get; }

    public InstanceManager Manager => Provider.GetRequiredService<InstanceManager>();

    public HeartbeatService Heartbeat => Provider.GetServices<IHostedService>().OfType<HeartbeatService>().Single();

    /// <summary>Replaces the proxies (and the hypervisor and clock) with this harness's fakes.</summary>
    public void RegisterFakes(IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Singleton<IInstanceRepository>(Instances));
        services.Replace(ServiceDescriptor.Singleton<IInstanceActionRepository>(Actions));
        services.Replace(ServiceDescriptor.Singleton<IServiceRepository>(Services));
        services.Replace(ServiceDescriptor.Singleton<IComputeNodeRepository>(Nodes));
        services.Replace(ServiceDescriptor.Singleton<IHypervisorDriver>(Driver));
        services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Time));
    }

    public ValueTask DisposeAsync() => Provider.DisposeAsync();
}
