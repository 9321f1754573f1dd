using System.Text.RegularExpressions;
using Conductor.Demo;
using Conductor.Processes;

namespace Conductor.EndToEnd.Tests;

[TestClass]
public sealed partial class DemoTests : EndToEndTest
{
    [TestMethod]
    public async Task Demo_RunAsTheReadmeSays_ExitsZeroPrintsBothTablesAndCleansUp()
    {
        // The built demo, run as its own process: dotnet Conductor.Demo.dll.
        string demo = typeof(DemoRunner).Assembly.Location;
        ChildProcess process = Track(ChildProcess.Start("demo", demo, [], Log));

        int exitCode = await process.WaitForExitAsync(TimeSpan.FromMinutes(5));

        string output = process.Output;
        Assert.AreEqual(0, exitCode, output);
        StringAssert.Contains(output, "[conductor] ");
        StringAssert.Contains(output, "[compute-1] ");
        StringAssert.Contains(output, "[compute-2] ");

        // The service list: both hosts up.
        string[] lines = output.Split(Environment.NewLine);
        Assert.AreEqual(2, lines.Count(l => ServiceRow().IsMatch(l)), output);

        // The instance table: five instances, all active.
        Assert.AreEqual(5, lines.Count(l => ActiveInstanceRow().IsMatch(l)), output);
        StringAssert.Contains(output, "every process exited cleanly");

        // Its data directory is gone.
        Match deleted = DeletedDirectory().Match(output);
        Assert.IsTrue(deleted.Success, output);
        Assert.IsFalse(Directory.Exists(deleted.Groups[1].Value), $"The demo left {deleted.Groups[1].Value} behind.");
    }

    [TestMethod]
    public async Task Demo_StepFails_ExitsNonZeroNamingTheStepAndCleansUp()
    {
        // One host offers 16 vCPUs, so the seventeenth one-vCPU instance cannot be scheduled.
        string demo = typeof(DemoRunner).Assembly.Location;
        ChildProcess process = Track(ChildProcess.Start("demo", demo, ["--hosts", "1", "--instances", "17"], Log));

        int exitCode = await process.WaitForExitAsync(TimeSpan.FromMinutes(5));

        string output = process.Output;
        Assert.AreEqual(1, exitCode, output);
        StringAssert.Contains(output, "FAILED at step 'create 17 instance(s) through the conductor's CLI'");
        StringAssert.Contains(output, "No up and enabled compute host has room");
        Match started = DataDirectory().Match(output);
        Assert.IsTrue(started.Success, output);
        Assert.IsFalse(Directory.Exists(started.Groups[1].Value), $"The failed demo left {started.Groups[1].Value} behind.");
    }

    [TestMethod]
    public async Task Demo_InterruptedMidway_KillsEveryProcessItStartedAndDeletesItsData()
    {
        if (!LinuxProcessTree.IsSupported)
        {
            Assert.Inconclusive("This system does not list a process's children in /proc.");
        }

        // Arrange: the demo, run until its conductor and compute hosts are all up and instances are being built.
        string demo = typeof(DemoRunner).Assembly.Location;
        ChildProcess process = Track(ChildProcess.Start("demo", demo, [], Log));
        await process.WaitForLineAsync("[demo] wait until every instance is active", startAt: 0, TimeSpan.FromMinutes(3));
        Match started = DataDirectory().Match(process.Output);
        Assert.IsTrue(started.Success, process.Output);
        IReadOnlyList<int> children = LinuxProcessTree.ChildrenOf(process.Id);
        Assert.HasCount(3, children.Where(IsHost), "The conductor and two compute hosts should be running.");

        // Act: SIGTERM, which the demo handles like Ctrl+C.
        int exitCode = await process.StopAsync(TimeSpan.FromSeconds(60));

        // Assert
        Assert.AreEqual(DemoRunner.InterruptedExitCode, exitCode, process.Output);
        StringAssert.Contains(process.Output, "interrupted during step");
        foreach (int pid in children)
        {
            Assert.IsFalse(LinuxProcessTree.IsRunning(pid), $"Process {pid} outlived the interrupted demo.");
        }

        Assert.IsFalse(Directory.Exists(started.Groups[1].Value), $"The interrupted demo left {started.Groups[1].Value} behind.");
    }

    private static bool IsHost(int pid)
    {
        try
        {
            string commandLine = File.ReadAllText($"/proc/{pid}/cmdline");
            return commandLine.Contains("Conductor.Host.dll\0serve", StringComparison.Ordinal) || commandLine.Contains("Compute.Host.dll", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"\(data directory (\S+)/data\)")]
    private static partial Regex DataDirectory();

    [GeneratedRegex(@"^compute-\d+\s+compute-host\s+\S+\s+up\s")]
    private static partial Regex ServiceRow();

    [GeneratedRegex(@"^[0-9a-f-]{36}\s+demo-\d+\s+compute-\d+\s+active\s")]
    private static partial Regex ActiveInstanceRow();

    [GeneratedRegex(@"delete the data directory (\S+)")]
    private static partial Regex DeletedDirectory();
}
