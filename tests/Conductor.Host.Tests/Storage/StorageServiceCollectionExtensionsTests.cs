using Conductor.Abstractions;
using Conductor.Abstractions.Admin;
using Conductor.Abstractions.Compute;
using Conductor.Abstractions.Persistence;
using Conductor.Host.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.Host.Tests.Storage;

[TestClass]
public sealed class StorageServiceCollectionExtensionsTests
{
    [TestMethod]
    public async Task AddConductorStorage_ScopedCaller_ResolvesEveryRepositoryOnOneDatabase()
    {
        string directory = Path.Combine(Path.GetTempPath(), "conductor-tests", Guid.NewGuid().ToString("N"));
        var services = new ServiceCollection();
        services.Configure<ConductorOptions>(o => o.DataDirectory = directory);
        services.AddConductorStorage();
        services.AddConductorStorage();
        services.AddScoped<ICallerContext>(_ => new TestCaller("host-a"));
        try
        {
            await using (ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true }))
            {
                using IServiceScope scope = provider.CreateScope();
                Assert.AreSame(provider.GetRequiredService<LiteDbConductorDatabase>(), provider.GetRequiredService<IConductorDatabase>());
                foreach (Type api in BuiltInApis.All)
                {
                    Assert.IsInstanceOfType<IDirectRepository>(scope.ServiceProvider.GetRequiredService(api));
                }

                using var cts = new CancellationTokenSource(StorageFixture.Timeout);
                ServiceRecord record = await scope.ServiceProvider.GetRequiredService<IServiceRepository>()
                    .RegisterAsync(new ServiceRegistration { Binary = "compute-host", Version = "1.0" }, cts.Token);
                Assert.AreEqual("host-a", record.Host);
                Assert.HasCount(1, await scope.ServiceProvider.GetRequiredService<IServiceAdminRepository>().ListAsync(cts.Token));
            }

            // Disposing the provider released the data directory.
            using var reopened = new LiteDbConductorDatabase(StoragePaths.For(directory));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
