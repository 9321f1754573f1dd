using Conductor.Abstractions.Compute;
using Conductor.Processes;

namespace Conductor.EndToEnd.Tests;

[TestClass]
public sealed class DataDirectoryOwnershipTests : EndToEndTest
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);

    [TestMethod]
    public async Task Conductor_Sigterm_ExitsZeroAndReleasesDataDirectoryForTheNextConductor()
    {
        // Arrange: a conductor with a connected compute host and an acknowledged write.
        LocalCluster cluster = CreateCluster();
        ChildProcess first = await cluster.StartConductorAsync();
        await cluster.StartComputeAsync("compute-1", FastCompute);
        await cluster.WaitForServicesUpAsync(["compute-1"]);
        List<Instance> created = await cluster.CreateInstancesAsync("kept", 1);

        // Act: SIGTERM; StopAsync fails the test if it does not exit (with code 0) well within the bound.
        await cluster.StopAsync(first);

        // Assert: it no longer advertises an endpoint, and a new conductor can own the same directory.
        Assert.AreEqual(0, first.ExitCode);
        Assert.IsFalse(File.Exists(Path.Combine(cluster.DataDirectory, "conductor.endpoints.json")), "A stopped conductor must not leave its endpoints file behind.");
        ChildProcess second = await cluster.StartConductorAsync();
        Assert.IsFalse(second.HasExited);
        List<Instance> instances = await cluster.ListInstancesAsync();
        Assert.IsTrue(instances.Any(i => i.Id == created[0].Id), "The write acknowledged before the stop is still there.");

        await cluster.StopAllAsync();
    }

    [TestMethod]
    public async Task SecondConductor_SameDataDirectoryWhileFirstRuns_RefusedWithClearMessage()
    {
        // Arrange
        LocalCluster cluster = CreateCluster();
        ChildProcess first = await cluster.StartConductorAsync();

        // Act: a second conductor on the same data directory (on its own port, so only the directory is shared).
        ChildProcess second = cluster.LaunchConductor("conductor-2", $"127.0.0.1:{FreeTcpPort.Pick()}");
        int exitCode = await second.WaitForExitAsync(s_wait);

        // Assert: refused with one sentence that names the directory and the owner, and no stack trace.
        Assert.AreNotEqual(0, exitCode, second.Output);
        StringAssert.Contains(second.StandardError, "is already owned by another conductor");
        StringAssert.Contains(second.StandardError, cluster.DataDirectory);
        StringAssert.Contains(second.StandardError, $"process {first.Id}");
        Assert.DoesNotContain("   at ", second.Output, "The refusal should be a sentence, not a stack trace.");

        // The first conductor is untouched and still serves.
        Assert.IsFalse(first.HasExited);
        Assert.IsEmpty(await cluster.ListServicesAsync());
        await cluster.StopAllAsync();
    }
}
