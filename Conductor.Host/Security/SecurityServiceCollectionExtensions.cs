using Conductor.Abstractions.Admin;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Conductor.Host.Security;

/// <summary>Registers the conductor's authentication, authorization and wire defences.</summary>
internal static class SecurityServiceCollectionExtensions
{
    /// <summary>
    /// Adds the credential store, the authenticator and its rate limits, the access policy, the registry of
    /// authenticated connections, TLS, the credential admin API's repository and the first-admin bootstrap (a
    /// hosted service that must start before the listener). Safe to call twice.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The same services.</returns>
    public static IServiceCollection AddConductorSecurity(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(ConnectionSecurity)))
        {
            return services;
        }

        services.AddOptions<ConductorSecurityOptions>()
            .Configure<IServiceProvider>((o, sp) => sp.GetService<IConfiguration>()?.GetSection(ConductorSecurityOptions.SectionName).Bind(o))
            .ValidateDataAnnotations()
            .Validate(o => o.FailedAuthenticationWindow > TimeSpan.Zero, "Conductor:Security:FailedAuthenticationWindow must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton<CredentialStore>();
        services.TryAddSingleton(sp => new AuthenticationRateLimiter(sp.GetRequiredService<IOptions<ConductorSecurityOptions>>().Value, sp.GetService<TimeProvider>()));
        services.TryAddSingleton<ServerNonceSource>();
        services.TryAddSingleton(sp => new ServerAuthenticator(
            sp.GetRequiredService<CredentialStore>(),
            sp.GetRequiredService<AuthenticationRateLimiter>(),
            sp.GetRequiredService<ServerNonceSource>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger(AuditLog.Category)));
        services.TryAddSingleton<AccessPolicy>();
        services.TryAddSingleton<ConnectionRegistry>();
        services.TryAddSingleton<TransportSecurity>();
        services.TryAddSingleton<ConnectionSecurity>();
        services.TryAddScoped<ICredentialAdminRepository, CredentialAdminRepository>();
        services.AddHostedService<AdminBootstrap>();
        return services;
    }
}
