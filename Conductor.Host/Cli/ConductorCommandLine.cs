using System.CommandLine;

namespace Conductor.Host.Cli;

/// <summary>
/// The conductor binary's command line: <c>serve</c> (the default) runs the conductor; the data verbs talk to a
/// running conductor as an admin client.
/// </summary>
internal static class ConductorCommandLine
{
    public static RootCommand Create()
    {
        var root = new RootCommand("Conductor: owns the database and answers compute hosts over a versioned RPC API. Without a verb, runs the conductor (same as 'serve').");
        Command serve = ServeCommand.Create();
        root.Subcommands.Add(serve);
        root.Subcommands.Add(InstanceCommands.Create());
        root.Subcommands.Add(ServiceCommands.Create());
        root.Subcommands.Add(UpgradeCommands.Create());
        root.Subcommands.Add(DbCommands.Create());
        root.TreatUnmatchedTokensAsErrors = false;
        foreach (Option option in serve.Options)
        {
            root.Options.Add(option);
        }

        root.Action = serve.Action;
        return root;
    }
}
