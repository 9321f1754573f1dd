using Conductor.Abstractions;
using Conductor.Abstractions.Persistence;
using Conductor.Proxy;
using Conductor.Proxy.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers conductor proxies in a compute process (or any other client of the conductor).</summary>
public static class ConductorClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers every built-in compute API (<see cref="BuiltInApis.Compute"/>) as a proxy that forwards calls to the
    /// conductor over one shared connection, and disables direct database access in this process: resolving
    /// <see cref="IConductorDatabase"/> throws <see cref="DatabaseAccessNotAllowedException"/>, and the host refuses
    /// to start while a direct repository is registered. Safe to call twice.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Changes the options after they are bound from the <c>Conductor</c> configuration section (when the container has an <see cref="IConfiguration"/>).</param>
    /// <returns>A builder that adds more APIs over the same connection.</returns>
    public static IConductorClientBuilder AddConductorClient(this IServiceCollection services, Action<ConductorClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = new ConductorClientBuilder(services);
        if (!services.Any(d => d.ServiceType == typeof(ConductorClientMarker)))
        {
            services.AddSingleton<ConductorClientMarker>();
            services.AddOptions<ConductorClientOptions>()
                .Configure<IServiceProvider>((o, sp) => sp.GetService<IConfiguration>()?.GetSection(ConductorClientOptions.SectionName).Bind(o))
                .ValidateDataAnnotations()
                .Validate(o => o.ConnectionFactory is not null || ConductorEndpoint.TryParse(o.Endpoint, out _), "Conductor:Endpoint must be tcp://host:port or unix:/path/to/socket.")
                .Validate(o => o.CallTimeout > TimeSpan.Zero && o.ConnectTimeout > TimeSpan.Zero, "Conductor:CallTimeout and Conductor:ConnectTimeout must be positive.")
                .Validate(o => o.InFlightRetryWindow >= TimeSpan.Zero && o.PingInterval >= TimeSpan.Zero && o.PingTimeout > TimeSpan.Zero, "Conductor:InFlightRetryWindow and Conductor:PingInterval must not be negative (zero disables them), and Conductor:PingTimeout must be positive.")
                .ValidateOnStart();
            services.TryAddSingleton(TimeProvider.System);
            services.TryAddSingleton<ConductorConnection>();
            services.TryAddSingleton<IConductorConnection>(sp => sp.GetRequiredService<ConductorConnection>());
            services.TryAddSingleton<ConductorProxyFactory>();
            services.DisableDatabaseAccess();
            foreach (Type api in BuiltInApis.Compute)
            {
                builder.AddApi(api);
            }
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }

        return builder;
    }

    /// <summary>
    /// Makes this process refuse the database: resolving <see cref="IConductorDatabase"/> throws
    /// <see cref="DatabaseAccessNotAllowedException"/> (and logs the attempt with its stack trace), and starting
    /// the host fails while any registration's implementation is a direct repository. Called by
    /// <see cref="AddConductorClient"/>; safe to call twice.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The same services.</returns>
    public static IServiceCollection DisableDatabaseAccess(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(DatabaseAccessGuard)))
        {
            return services;
        }

        services.AddSingleton(new DatabaseAccessGuard(services));
        services.Replace(ServiceDescriptor.Singleton<IConductorDatabase>(sp => sp.GetRequiredService<DatabaseAccessGuard>().Refuse(sp)));
        services.AddOptions<DatabaseAccessGuardOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DatabaseAccessGuardOptions>, DatabaseAccessGuardValidator>());
        return services;
    }
}
