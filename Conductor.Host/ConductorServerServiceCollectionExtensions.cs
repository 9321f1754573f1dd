using Conductor.Abstractions;
using Conductor.Host;
using Conductor.Host.Rpc;
using Conductor.Host.Storage;
using Conductor.Host.Versioning;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the conductor: its database, its repositories and its RPC server.</summary>
public static class ConductorServerServiceCollectionExtensions
{
    /// <summary>
    /// Registers the conductor with its LiteDB database (options from the <c>Conductor</c> configuration section),
    /// every built-in API (<see cref="BuiltInApis.All"/>) with its direct repository, and the listener that serves
    /// them on TCP and/or a Unix socket. Safe to call twice.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Changes the options after they are bound from configuration.</param>
    /// <returns>A builder that serves more APIs.</returns>
    public static IConductorServerBuilder AddConductorServer(this IServiceCollection services, Action<ConductorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = new ConductorServerBuilder(services);
        if (!services.Any(d => d.ServiceType == typeof(ConductorServer)))
        {
            services.AddOptions<ConductorOptions>()
                .Configure<IServiceProvider>((o, sp) => sp.GetService<IConfiguration>()?.GetSection(ConductorOptions.SectionName).Bind(o))
                .ValidateDataAnnotations()
                .Validate(o => o.ServiceDownAfter > TimeSpan.Zero && o.ShutdownTimeout >= TimeSpan.Zero && o.HandshakeTimeout > TimeSpan.Zero, "Conductor:ServiceDownAfter and Conductor:HandshakeTimeout must be positive, and Conductor:ShutdownTimeout not negative.")
                .Validate(o => o.PingInterval >= TimeSpan.Zero && o.PingTimeout > TimeSpan.Zero && o.RequestLedgerRetention > TimeSpan.Zero, "Conductor:PingInterval must not be negative (zero disables pings), and Conductor:PingTimeout and Conductor:RequestLedgerRetention must be positive.")
                .ValidateOnStart();
            services.TryAddSingleton(TimeProvider.System);
            services.AddConductorStorage();
            services.TryAddScoped<CallerContext>();
            services.TryAddScoped<ICallerContext>(sp => sp.GetRequiredService<CallerContext>());
            services.TryAddScoped<ConnectionVersions>();
            services.AddSingleton<ConductorServer>();
            services.AddHostedService<ConductorListener>();
            foreach (Type api in BuiltInApis.All)
            {
                services.AddSingleton(new ServedApiRegistration(api));
            }
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }

        return builder;
    }
}
