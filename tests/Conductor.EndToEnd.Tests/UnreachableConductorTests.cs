using Conductor.Processes;

namespace Conductor.EndToEnd.Tests;

[TestClass]
public sealed class UnreachableConductorTests : EndToEndTest
{
    // The CLI is told to wait 2 s for the conductor; the process gets 30x that before the test calls it a hang.
    private static readonly TimeSpan s_processBound = TimeSpan.FromSeconds(60);

    [TestMethod]
    public async Task Cli_NothingListening_FailsWithExitCode3NamingTheEndpoint()
    {
        // Arrange: a port nobody listens on.
        var cli = new ConductorCli(Binaries.ConductorHost, $"tcp://127.0.0.1:{FreeTcpPort.Pick()}") { ConductorTimeoutSeconds = 2, ProcessTimeout = s_processBound };

        // Act
        CliResult result = await cli.RunAsync(["services", "list"]);

        // Assert
        Assert.AreEqual(3, result.ExitCode, result.StandardError);
        StringAssert.Contains(result.StandardError, cli.Endpoint);
        StringAssert.Contains(result.StandardError, "Check that the conductor is running");
        Assert.DoesNotContain("   at ", result.StandardError, "The failure should be a sentence, not a stack trace.");
    }

    [TestMethod]
    public async Task Cli_ConductorAcceptsButNeverAnswers_FailsWithExitCode3NamingTheEndpoint()
    {
        // Arrange: a listener that accepts and stays silent, so the handshake never completes.
        SilentListener silent = Track(new SilentListener());
        var cli = new ConductorCli(Binaries.ConductorHost, silent.Endpoint) { ConductorTimeoutSeconds = 2, ProcessTimeout = s_processBound };

        // Act
        CliResult result = await cli.RunAsync(["instances", "list"]);

        // Assert
        Assert.AreEqual(3, result.ExitCode, result.StandardError);
        StringAssert.Contains(result.StandardError, silent.Endpoint);
        Assert.IsGreaterThanOrEqualTo(1, silent.AcceptedCount, "The CLI should have connected before giving up.");
        Assert.DoesNotContain("   at ", result.StandardError, "The failure should be a sentence, not a stack trace.");
    }
}
