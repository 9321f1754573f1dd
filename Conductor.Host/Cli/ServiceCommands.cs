using System.CommandLine;
using Conductor.Abstractions;
using Conductor.Abstractions.Admin;
using Conductor.Abstractions.Compute;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.Host.Cli;

/// <summary>The <c>services</c> verbs: the compute services the running conductor knows, with up/down state.</summary>
internal static class ServiceCommands
{
    public static Command Create()
    {
        var services = new Command("services", "Show the compute services the running conductor knows.");
        ClientOptions.AddTo(services);
        var list = new Command("list", "List every compute service with its up/down state, capacity and instance count.");
        list.SetAction(async (parseResult, cancellationToken) =>
        {
            await using ServiceProvider client = ClientOptions.CreateAdminClient(parseResult);
            var admin = client.GetRequiredService<IServiceAdminRepository>();
            IReadOnlyList<ServiceStatus> statuses;
            try
            {
                statuses = await admin.ListAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (ConductorException ex)
            {
                return CliOutput.Error(ex);
            }

            if (parseResult.GetValue(ClientOptions.Json))
            {
                CliOutput.Json(statuses);
            }
            else
            {
                CliOutput.Services(statuses);
            }

            return 0;
        });
        services.Subcommands.Add(list);
        return services;
    }
}
