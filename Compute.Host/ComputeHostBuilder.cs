using Compute.Host.Heartbeat;
using Compute.Host.Hypervisor;
using Compute.Host.Internal;
using Compute.Host.Lifecycle;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Compute.Host;

/// <summary>The compute worker's wiring, kept out of <c>Program</c> so that tests build exactly the same services.</summary>
internal static class ComputeHostBuilder
{
    /// <summary>The prefix of environment variables read on top of the unprefixed ones (for example <c>COMPUTE_Conductor__Endpoint</c>).</summary>
    public const string EnvironmentPrefix = "COMPUTE_";

    /// <summary>
    /// Adds the configuration sources the worker reads on top of the host defaults (appsettings.json, unprefixed
    /// environment variables, command line): environment variables with <see cref="EnvironmentPrefix"/>, and the command
    /// line again after them so that it still wins.
    /// </summary>
    /// <param name="configuration">The host's configuration.</param>
    /// <param name="args">The command line.</param>
    public static void AddConfiguration(IConfigurationBuilder configuration, string[] args)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration.AddEnvironmentVariables(EnvironmentPrefix);
        configuration.AddCommandLine(args);
    }

    /// <summary>
    /// Registers the compute worker: its options (validated at start), the conductor proxies for every compute API
    /// (which also disable database access), the simulated hypervisor, and the heartbeat and lifecycle services.
    /// Tests register fakes after this call; the last registration of an interface wins.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration holding the <c>Compute</c> and <c>Conductor</c> sections.</param>
    /// <returns>The same services.</returns>
    public static IServiceCollection ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<ComputeHostOptions>()
            .Bind(configuration.GetSection(ComputeHostOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ComputeHostOptions>, ComputeHostOptionsValidator>());

        services.AddConductorClient(o => o.ClientName = ComputeHostInfo.ClientName);

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IHypervisorDriver, SimulatedHypervisorDriver>();
        services.TryAddSingleton<ConductorRetry>();
        services.TryAddSingleton<InstanceManager>();
        services.AddHostedService<HeartbeatService>();
        services.AddHostedService<InstanceLifecycleService>();
        return services;
    }
}
