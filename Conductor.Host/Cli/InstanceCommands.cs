using System.CommandLine;
using System.Globalization;
using Conductor.Abstractions;
using Conductor.Abstractions.Admin;
using Conductor.Abstractions.Compute;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.Host.Cli;

/// <summary>The <c>instances</c> verbs: create, delete and list instances through a running conductor.</summary>
internal static class InstanceCommands
{
    public static Command Create()
    {
        var instances = new Command("instances", "Create, delete and list instances through the running conductor.");
        ClientOptions.AddTo(instances);
        instances.Subcommands.Add(CreateCommand());
        instances.Subcommands.Add(DeleteCommand());
        instances.Subcommands.Add(ListCommand());
        return instances;
    }

    private static Command CreateCommand()
    {
        var name = new Option<string>("--name") { Description = "The instance's name; with --count, a number is appended.", Required = true };
        var count = new Option<int>("--count") { Description = "How many instances to create.", DefaultValueFactory = _ => 1 };
        var vcpus = new Option<int>("--vcpus") { Description = "Virtual CPUs.", DefaultValueFactory = _ => 1 };
        var memory = new Option<int>("--memory-mb") { Description = "Memory in MB.", DefaultValueFactory = _ => 512 };
        var disk = new Option<int>("--disk-gb") { Description = "Root disk in GB.", DefaultValueFactory = _ => 1 };
        var metadata = new Option<string[]>("--metadata")
        {
            Description = "A key=value pair to keep with each instance; repeat it for more (needs a conductor that serves admin.instances 1.1).",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("create", "Create instances; the conductor schedules each onto a compute host with room for it.") { name, count, vcpus, memory, disk, metadata };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            int n = parseResult.GetValue(count);
            if (n < 1)
            {
                Console.Error.WriteLine("conductor: --count must be at least 1.");
                return 2;
            }

            var flavor = new Flavor { Vcpus = parseResult.GetValue(vcpus), MemoryMb = parseResult.GetValue(memory), DiskGb = parseResult.GetValue(disk) };
            string baseName = parseResult.GetValue(name)!;
            if (!MetadataOption.TryParse(parseResult.GetValue(metadata), out Dictionary<string, string>? pairs, out string? problem))
            {
                Console.Error.WriteLine("conductor: " + problem);
                return 2;
            }

            await using ServiceProvider client = ClientOptions.CreateAdminClient(parseResult);
            var admin = client.GetRequiredService<IInstanceAdminRepository>();
            var created = new List<Instance>();
            try
            {
                if (pairs is not null)
                {
                    // An older conductor would drop the pairs without a word: refuse instead.
                    await MetadataOption.EnsureServedAsync(client.GetRequiredService<Proxy.IConductorConnection>(), cancellationToken).ConfigureAwait(false);
                }

                for (int i = 1; i <= n; i++)
                {
                    string instanceName = n == 1 ? baseName : string.Create(CultureInfo.InvariantCulture, $"{baseName}-{i}");
                    created.Add(await admin.CreateAsync(new InstanceCreate { Name = instanceName, Flavor = flavor, Metadata = pairs }, cancellationToken).ConfigureAwait(false));
                }
            }
            catch (ConductorException ex)
            {
                // What succeeded before the failure is still worth showing; an empty table is not.
                if (created.Count > 0)
                {
                    Print(parseResult, created);
                }

                return CliOutput.Error(ex);
            }

            Print(parseResult, created);
            return 0;
        });
        return command;
    }

    private static Command DeleteCommand()
    {
        var ids = new Argument<Guid[]>("id") { Description = "The instances to delete.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("delete", "Ask for instances' deletion; their hosts destroy them and mark them deleted.") { ids };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using ServiceProvider client = ClientOptions.CreateAdminClient(parseResult);
            var admin = client.GetRequiredService<IInstanceAdminRepository>();
            var deleted = new List<Instance>();
            try
            {
                foreach (Guid id in parseResult.GetValue(ids)!)
                {
                    deleted.Add(await admin.DeleteAsync(new InstanceDeleteRequest { InstanceId = id }, cancellationToken).ConfigureAwait(false));
                }
            }
            catch (ConductorException ex)
            {
                // What succeeded before the failure is still worth showing; an empty table is not.
                if (deleted.Count > 0)
                {
                    Print(parseResult, deleted);
                }

                return CliOutput.Error(ex);
            }

            Print(parseResult, deleted);
            return 0;
        });
        return command;
    }

    private static Command ListCommand()
    {
        var includeDeleted = new Option<bool>("--include-deleted") { Description = "Include deleted instances." };
        var pageSize = new Option<int>("--page-size") { Description = "Instances fetched per call.", DefaultValueFactory = _ => 500 };
        var command = new Command("list", "List every instance in the cluster, page by page.") { includeDeleted, pageSize };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using ServiceProvider client = ClientOptions.CreateAdminClient(parseResult);
            var admin = client.GetRequiredService<IInstanceAdminRepository>();
            // One page at a time: the command line never holds more than --page-size instances, however many there are.
            var printer = new InstanceListPrinter(parseResult.GetValue(ClientOptions.Json));
            try
            {
                string? after = null;
                do
                {
                    Page<Instance> page = await admin.ListAsync(
                        new PageRequest { After = after, Limit = parseResult.GetValue(pageSize), IncludeDeleted = parseResult.GetValue(includeDeleted) },
                        cancellationToken).ConfigureAwait(false);
                    printer.Add(page.Items);
                    after = page.NextPageToken;
                }
                while (after is not null);
            }
            catch (ConductorException ex)
            {
                return CliOutput.Error(ex);
            }

            printer.Complete();
            return 0;
        });
        return command;
    }

    private static void Print(ParseResult parseResult, List<Instance> instances)
    {
        if (parseResult.GetValue(ClientOptions.Json))
        {
            CliOutput.Json(instances);
        }
        else
        {
            CliOutput.Instances(instances);
        }
    }
}
