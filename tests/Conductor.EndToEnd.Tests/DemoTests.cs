using System.Text.RegularExpressions;
using Conductor.Demo;
using Conductor.Demo.Processes;

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

    [GeneratedRegex(@"^compute-\d+\s+compute-host\s+\S+\s+up\s")]
    private static partial Regex ServiceRow();

    [GeneratedRegex(@"^[0-9a-f-]{36}\s+demo-\d+\s+compute-\d+\s+active\s")]
    private static partial Regex ActiveInstanceRow();

    [GeneratedRegex(@"delete the data directory (\S+)")]
    private static partial Regex DeletedDirectory();
}
