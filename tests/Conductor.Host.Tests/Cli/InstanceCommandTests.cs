using System.Text.Json;
using Conductor.Abstractions.Compute;
using Conductor.Host.Cli;
using Conductor.Host.Tests.Security;
using Conductor.Proxy.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.Host.Tests.Cli;

/// <summary>The <c>instances</c> verbs run in-process against a real conductor, as an operator would run them.</summary>
[TestClass]
[DoNotParallelize]
public sealed class InstanceCommandTests
{
    [TestMethod]
    public async Task InstancesList_ManyPages_PrintsEveryInstanceOnceAsOneJsonArray()
    {
        await using SecureConductor conductor = await SecureConductor.StartAsync();
        await StartComputeHostAsync(conductor);
        (int created, string createOutput) = await CommandLineRunner.RunAsync("instances", "create", "--name", "web", "--count", "7", "--data-dir", conductor.DataDirectory, "--json");

        (int listed, string listOutput) = await CommandLineRunner.RunAsync("instances", "list", "--page-size", "3", "--data-dir", conductor.DataDirectory, "--json");

        Assert.AreEqual(0, created, createOutput);
        Assert.AreEqual(0, listed, listOutput);
        Instance[] listedInstances = JsonSerializer.Deserialize<Instance[]>(listOutput, CliOutput.JsonOptions)!;
        Instance[] createdInstances = JsonSerializer.Deserialize<Instance[]>(createOutput, CliOutput.JsonOptions)!;
        CollectionAssert.AreEquivalent(createdInstances.Select(i => i.Id).ToArray(), listedInstances.Select(i => i.Id).ToArray());
        Assert.HasCount(7, listedInstances.Select(i => i.Id).Distinct());
    }

    [TestMethod]
    public async Task InstancesList_ManyPages_PrintsOneHeaderAndARowPerInstance()
    {
        await using SecureConductor conductor = await SecureConductor.StartAsync();
        await StartComputeHostAsync(conductor);
        (int created, string createOutput) = await CommandLineRunner.RunAsync("instances", "create", "--name", "db", "--count", "5", "--data-dir", conductor.DataDirectory);

        (int listed, string table) = await CommandLineRunner.RunAsync("instances", "list", "--page-size", "2", "--data-dir", conductor.DataDirectory);

        Assert.AreEqual(0, created, createOutput);
        Assert.AreEqual(0, listed, table);
        string[] lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.HasCount(6, lines, table);
        StringAssert.StartsWith(lines[0], "ID ");
        CollectionAssert.AreEquivalent(
            new[] { "db-1", "db-2", "db-3", "db-4", "db-5" },
            lines.Skip(1).Select(l => l.Split("  ", StringSplitOptions.RemoveEmptyEntries)[1]).ToArray());
    }

    [TestMethod]
    public async Task InstancesList_NoInstances_PrintsAnEmptyJsonArray()
    {
        await using SecureConductor conductor = await SecureConductor.StartAsync();

        (int listed, string output) = await CommandLineRunner.RunAsync("instances", "list", "--data-dir", conductor.DataDirectory, "--json");

        Assert.AreEqual(0, listed, output);
        Assert.AreEqual("[]", output.Trim());
    }

    [TestMethod]
    public async Task InstancesCreate_NoComputeHost_FailsWithTheReasonAndPrintsNoEmptyTable()
    {
        await using SecureConductor conductor = await SecureConductor.StartAsync();

        (int created, string output) = await CommandLineRunner.RunAsync("instances", "create", "--name", "web", "--data-dir", conductor.DataDirectory);

        Assert.AreEqual(1, created, output);
        StringAssert.StartsWith(output, "conductor: ");
        Assert.DoesNotContain("ID ", output, "Nothing was created, so no table header is printed.");
    }

    /// <summary>A compute host with room: registered and reporting its capacity, through its own authenticated proxy.</summary>
    private static async Task StartComputeHostAsync(SecureConductor conductor)
    {
        HostCredential credential = await conductor.IssueAsync("compute-1");
        await using ServiceProvider compute = ProxyClient.Create(conductor.Endpoint, credential);
        await compute.GetRequiredService<IServiceRepository>().RegisterAsync(new ServiceRegistration { Binary = "compute-host", Version = "1.0.0" }, CancellationToken.None).WaitAsync(SecureConductor.Timeout);
        await compute.GetRequiredService<IComputeNodeRepository>().ReportAsync(
            new ComputeNodeReport { VcpusTotal = 64, MemoryMbTotal = 65536, DiskGbTotal = 1000, HypervisorType = "simulated" },
            CancellationToken.None).WaitAsync(SecureConductor.Timeout);
    }
}
