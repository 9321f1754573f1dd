using System.CommandLine;
using Conductor.Host.Storage;
using Conductor.Host.Storage.Schema;

namespace Conductor.Host.Cli;

/// <summary>The <c>db</c> verbs: work on the database file directly, with the conductor stopped (they take its owner lock).</summary>
internal static class DbCommands
{
    private static readonly Option<string> s_dataDirectory = new("--data-dir")
    {
        Description = "The conductor's data directory (Conductor:DataDirectory).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("Conductor__DataDirectory") ?? "data",
        Recursive = true,
    };

    public static Command Create()
    {
        var db = new Command("db", "Work on the conductor's database file. The conductor must be stopped: these verbs take its data directory's lock.");
        db.Options.Add(s_dataDirectory);
        var migrate = new Command(
            "migrate",
            $"Migrate the database to schema version {DatabaseSchema.Current}, rewriting documents in batches. Safe to run again; a migration cut short resumes where it stopped.");
        migrate.SetAction(parseResult => Migrate(parseResult.GetValue(s_dataDirectory)!));
        db.Subcommands.Add(migrate);
        return db;
    }

    private static int Migrate(string dataDirectory)
    {
        StoragePaths paths = StoragePaths.For(dataDirectory);
        if (!File.Exists(paths.DataFile))
        {
            Console.Error.WriteLine($"conductor: There is no database at '{paths.DataFile}'. Check --data-dir; a conductor creates its database when it first starts.");
            return 2;
        }

        try
        {
            using var database = new LiteDbConductorDatabase(paths, settings: new StorageSettings { Schema = new SchemaPolicy(MigrateOnStart: true) });
            SchemaReport report = database.Schema;
            Console.Out.WriteLine(report.Found == report.Now
                ? $"The database '{paths.DataFile}' is at schema version {report.Now}; nothing to migrate."
                : $"Migrated the database '{paths.DataFile}' from schema version {report.Found} to {report.Now} ({report.Rewritten} document(s) rewritten).");
            return 0;
        }
        catch (Exception ex) when (ex is DataDirectoryInUseException or DatabaseFileDamagedException or DatabaseSchemaMismatchException or IOException)
        {
            Console.Error.WriteLine("conductor: " + ex.Message);
            return 2;
        }
    }
}
