using Conductor.Abstractions.Admin;
using Conductor.Abstractions.Compute;
using LiteDB;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.Compat.Tests;

/// <summary>The schema is the conductor's alone: 'conductor db migrate' and migration on start, through the real binary.</summary>
[TestClass]
public sealed class DatabaseMigrationTests
{
    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Token => TestContext.CancellationToken;

    [TestMethod]
    public async Task DbMigrate_SchemaOneDatabase_MigratesOnceAndTheConductorServesItsData()
    {
        // Arrange: a conductor writes instances, stops, and its file is put back into the foundation's format.
        await using ConductorProcess first = await ConductorProcess.StartAsync(Token);
        string dataDirectory = first.DataDirectory;
        var ids = new List<Guid>();
        await using (ServiceProvider compute = TodaysClients.Compute(first.Endpoint, "compat-new"))
        await using (ServiceProvider admin = TodaysClients.Admin(first.Endpoint))
        {
            await compute.GetRequiredService<IServiceRepository>().RegisterAsync(new ServiceRegistration { Binary = "compute-host", Version = "1.1.0" }, Token);
            await compute.GetRequiredService<IComputeNodeRepository>().ReportAsync(new ComputeNodeReport { VcpusTotal = 8, MemoryMbTotal = 8192, DiskGbTotal = 100, HypervisorType = "simulated" }, Token);
            for (int i = 0; i < 3; i++)
            {
                ids.Add((await admin.GetRequiredService<IInstanceAdminRepository>().CreateAsync(new InstanceCreate { Name = $"vm-{i}", Flavor = new Flavor { Vcpus = 1, MemoryMb = 512, DiskGb = 1 } }, Token)).Id);
            }
        }

        await first.KillAsync();
        string file = Path.Combine(dataDirectory, "conductor.db");
        using (var db = new LiteDatabase(new ConnectionString { Filename = file, Connection = ConnectionType.Direct }))
        {
            ILiteCollection<BsonDocument> instances = db.GetCollection("instances");
            foreach (BsonDocument document in instances.FindAll().ToList())
            {
                document.Remove("Metadata");
                instances.Update(document);
            }

            db.UserVersion = 0;
        }

        // Act
        ProcessResult refusedWhileOld = await Processes.ConductorCliAsync(Token, "serve", "--data-dir", dataDirectory, "--tcp", "127.0.0.1:0", "--Conductor:MigrateDatabaseOnStart", "false");

        ProcessResult migrated = await Processes.ConductorCliAsync(Token, "db", "migrate", "--data-dir", dataDirectory);
        ProcessResult again = await Processes.ConductorCliAsync(Token, "db", "migrate", "--data-dir", dataDirectory);
        await using ConductorProcess second = await ConductorProcess.StartInAsync(dataDirectory, Token, "--Conductor:MigrateDatabaseOnStart", "false");
        ProcessResult whileRunning = await Processes.ConductorCliAsync(Token, "db", "migrate", "--data-dir", dataDirectory);
        await using ServiceProvider reader = TodaysClients.Admin(second.Endpoint);

        Instance read = await reader.GetRequiredService<IInstanceAdminRepository>().GetAsync(ids[1], Token);

        // Assert
        Assert.AreEqual(2, refusedWhileOld.ExitCode, "With migration on start turned off, a conductor refuses a schema 1 database.");
        StringAssert.Contains(refusedWhileOld.Error, $"conductor: The database '{file}' has schema version 1, older than the version 2 this conductor needs.");
        Assert.AreEqual(0, migrated.ExitCode, migrated.Error);
        Assert.AreEqual($"Migrated the database '{file}' from schema version 1 to 2 (3 document(s) rewritten).", migrated.Output.Trim());
        Assert.AreEqual($"The database '{file}' is at schema version 2; nothing to migrate.", again.Output.Trim());
        Assert.AreEqual(2, whileRunning.ExitCode, "The running conductor owns the data directory.");
        StringAssert.StartsWith(whileRunning.Error, "conductor: ");
        Assert.AreEqual("vm-1", read.Name);
        Assert.IsNotNull(read.Metadata);
        Assert.IsEmpty(read.Metadata);
    }
}
