using System.CommandLine;
using Conductor.Abstractions;
using Conductor.Host.Security;
using Conductor.Host.Storage;
using Conductor.Proxy.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.Host.Cli;

/// <summary>
/// The <c>admin</c> verbs, run on the conductor's machine by whoever can read its data directory (as with
/// nova-manage): <c>admin init</c> makes (or rotates) the admin credential, working on the database directly, so it
/// needs the conductor stopped unless the credential file already exists.
/// </summary>
internal static class AdminCommands
{
    public static Command Create()
    {
        var admin = new Command("admin", "Local administration of the conductor's data directory.");
        admin.Subcommands.Add(InitCommand());
        return admin;
    }

    private static Command InitCommand()
    {
        var dataDirectory = new Option<string>("--data-dir")
        {
            Description = "The conductor's data directory (Conductor:DataDirectory).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("Conductor__DataDirectory") ?? "data",
        };
        var rotate = new Option<bool>("--rotate") { Description = "Replace the admin credential (the old one stops working). Needs the conductor stopped." };
        var command = new Command(
            "init",
            $"Make the admin credential and write it to {AdminBootstrap.FileName} in the data directory (mode 0600), where the CLI's data verbs find it. Does nothing if that file exists (unless --rotate).")
        {
            dataDirectory,
            rotate,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            string directory = Path.GetFullPath(parseResult.GetValue(dataDirectory)!);
            string file = AdminBootstrap.PathIn(directory);
            bool replace = parseResult.GetValue(rotate);
            if (File.Exists(file) && !replace)
            {
                Console.Out.WriteLine($"The admin credential already exists at {file}; nothing to do. Use --rotate (with the conductor stopped) to replace it.");
                return 0;
            }

            var services = new ServiceCollection();
            services.AddLogging();
            services.AddConductorStorage();
            services.Configure<ConductorOptions>(o => o.DataDirectory = directory);
            await using ServiceProvider provider = services.BuildServiceProvider();
            LiteDbConductorDatabase database;
            try
            {
                database = provider.GetRequiredService<LiteDbConductorDatabase>();
            }
            catch (Exception ex) when (ex is DataDirectoryInUseException or DatabaseFileDamagedException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"conductor: {ex.Message.TrimEnd('.')}. 'admin init' works on the database directly: stop the conductor first (a running conductor makes the first admin credential by itself at start).");
                return 2;
            }

            var store = new CredentialStore(database, TimeProvider.System);
            bool exists = store.TryGet(AdminBootstrap.AdminName, out _);
            try
            {
                HostCredential credential = await store.IssueAsync(AdminBootstrap.AdminName, ConductorRole.Admin, replace: exists, cancellationToken).ConfigureAwait(false);
                credential.WriteFile(file, overwrite: true);
            }
            catch (ConductorException ex)
            {
                return CliOutput.Error(ex);
            }

            Console.Out.WriteLine(exists
                ? $"Rotated the admin credential and wrote it to {file} (mode 0600). The old one no longer works."
                : $"Made the admin credential and wrote it to {file} (mode 0600). The CLI's data verbs use it with --data-dir {directory}.");
            return 0;
        });
        return command;
    }
}
