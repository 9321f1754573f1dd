using Conductor.Abstractions;
using Conductor.Abstractions.Admin;
using Conductor.Abstractions.Compute;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Conductor.CrashLoop;

/// <content>The long-lived clients and their set-up.</content>
public sealed partial class CrashLoopRunner
{
    private ServiceProvider CreateClient(string endpoint, ConductorRole role, string host)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(_proxyRetries));
        services.AddConductorClient(o =>
            {
                o.Endpoint = endpoint;
                o.Role = role;
                o.HostName = host;
                o.ClientName = "crash-loop";
                o.ConnectTimeout = TimeSpan.FromSeconds(2);
                o.CallTimeout = TimeSpan.FromSeconds(10);
                o.MaxReconnectDelay = TimeSpan.FromMilliseconds(200);
            })
            .AddApi<IInstanceAdminRepository>();
        return services.BuildServiceProvider();
    }

    private static async Task RegisterAsync(ServiceProvider provider, CancellationToken cancellationToken)
    {
        var registration = new ServiceRegistration { Binary = "crash-loop", Version = "1.0" };
        await RetryAsync(c => provider.GetRequiredService<IServiceRepository>().RegisterAsync(registration, c), cancellationToken).ConfigureAwait(false);
        var report = new ComputeNodeReport { VcpusTotal = 100_000, MemoryMbTotal = 100_000_000, DiskGbTotal = 100_000_000, HypervisorType = "crash-loop" };
        await RetryAsync(c => provider.GetRequiredService<IComputeNodeRepository>().ReportAsync(report, c), cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Guid> OwnInstanceAsync(ServiceProvider admin, ServiceProvider compute, CancellationToken cancellationToken)
    {
        // The scheduler places each instance on the host with the most free memory, so creating a few lands one on every host.
        IInstanceRepository own = compute.GetRequiredService<IInstanceRepository>();
        for (int attempt = 0; attempt < 100; attempt++)
        {
            Page<Instance> page = await RetryAsync(c => own.ListAsync(new PageRequest { Limit = 1 }, c), cancellationToken).ConfigureAwait(false);
            if (page.Items.Count > 0)
            {
                return page.Items[0].Id;
            }

            var create = new InstanceCreate { Name = "crash-target", Flavor = new Flavor { Vcpus = 1, MemoryMb = 1, DiskGb = 1 } };
            await RetryAsync(c => admin.GetRequiredService<IInstanceAdminRepository>().CreateAsync(create, c), cancellationToken).ConfigureAwait(false);
        }

        throw new InvalidOperationException("No instance landed on one of the compute hosts after 100 creates.");
    }

    private static async Task<T> RetryAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await call(cancellationToken).ConfigureAwait(false);
            }
            catch (ConductorUnavailableException)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
