using Conductor.Abstractions.Admin;
using Conductor.Abstractions.Compute;
using Conductor.Abstractions.Persistence;
using Conductor.Host.Repositories;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Conductor.Host.Storage;

/// <summary>Registers the conductor's LiteDB storage and its direct repositories.</summary>
internal static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Adds the database (a singleton that owns the data directory), the sync seam, the clock, and every direct
    /// repository as a scoped service against its contract. The repositories need a scoped
    /// <see cref="Abstractions.ICallerContext"/>, which the RPC server registers per connection. Safe to call twice.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The same collection.</returns>
    public static IServiceCollection AddConductorStorage(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ConductorOptions>();
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IStorageSync>(sp =>
            new FileStorageSync(StoragePaths.For(sp.GetRequiredService<IOptions<ConductorOptions>>().Value.DataDirectory)));
        services.TryAddSingleton(sp => new LiteDbConductorDatabase(
            sp.GetRequiredService<IOptions<ConductorOptions>>(),
            sp.GetRequiredService<IStorageSync>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<LiteDbConductorDatabase>>()));
        services.TryAddSingleton<IConductorDatabase>(sp => sp.GetRequiredService<LiteDbConductorDatabase>());

        services.TryAddScoped<IServiceRepository, ServiceRepository>();
        services.TryAddScoped<IComputeNodeRepository, ComputeNodeRepository>();
        services.TryAddScoped<IInstanceRepository, InstanceRepository>();
        services.TryAddScoped<IInstanceActionRepository, InstanceActionRepository>();
        services.TryAddScoped<IInstanceAdminRepository, InstanceAdminRepository>();
        services.TryAddScoped<IServiceAdminRepository, ServiceAdminRepository>();
        return services;
    }
}
