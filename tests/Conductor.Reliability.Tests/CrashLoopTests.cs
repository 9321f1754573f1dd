using Conductor.CrashLoop;

namespace Conductor.Reliability.Tests;

/// <summary>The short crash loop: the long one runs from tools/crash-loop.sh.</summary>
[TestClass]
public sealed class CrashLoopTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task CrashLoop_ThreeKillsUnderWriteLoad_EveryAcknowledgedWriteSurvivesAndClientsReconnect()
    {
        var log = new StringWriter();
        var options = new CrashLoopOptions
        {
            Rounds = 3,
            ComputeWriters = 2,
            MinimumWritesPerRound = 10,
            MaxExtraDelayBeforeKill = TimeSpan.FromMilliseconds(300),
            Log = log,
        };

        CrashLoopResult result = await new CrashLoopRunner(options).RunAsync(TestContext.CancellationToken);

        TestContext.WriteLine(log.ToString());
        Assert.IsTrue(result.Passed, string.Join(Environment.NewLine, result.Failures));
        Assert.AreEqual(3, result.Rounds);
        Assert.IsGreaterThanOrEqualTo(30, result.AcknowledgedWrites);
        Assert.IsGreaterThanOrEqualTo(3 * 3, result.Reconnects, "Every long-lived client (two compute, one admin) reconnected after every kill.");
    }
}
