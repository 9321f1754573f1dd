using Conductor.Host.Security;

namespace Conductor.Host.Tests.Security;

/// <summary>
/// The failed-authentication limit counts per key in fixed windows without any timer: a key is refused once it used up
/// its failures, until its window ends, and only recent failures are kept.
/// </summary>
[TestClass]
public sealed class FailureWindowsTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    [TestMethod]
    public void KeyWithAllItsFailuresUsed_IsExhaustedUntilItsWindowEnds_OtherKeysAreNot()
    {
        var time = new ManualClock();
        var windows = new FailureWindows(permits: 2, Window, time);
        windows.Record("10.0.0.1");
        time.Advance(TimeSpan.FromSeconds(20));
        bool afterOne = windows.IsExhausted("10.0.0.1", out _);
        windows.Record("10.0.0.1");

        Assert.IsFalse(afterOne, "One failure of two allowed must not refuse the key.");
        Assert.IsTrue(windows.IsExhausted("10.0.0.1", out TimeSpan retryAfter));
        Assert.AreEqual(TimeSpan.FromSeconds(40), retryAfter, "The window runs from the key's first failure.");
        Assert.IsFalse(windows.IsExhausted("10.0.0.2", out _), "Another key has its own count.");

        time.Advance(TimeSpan.FromSeconds(40));
        Assert.IsFalse(windows.IsExhausted("10.0.0.1", out TimeSpan none), "The key is checked again once its window has ended.");
        Assert.AreEqual(TimeSpan.Zero, none);

        windows.Record("10.0.0.1");
        Assert.IsFalse(windows.IsExhausted("10.0.0.1", out _), "A new window counts afresh.");
    }

    [TestMethod]
    public void KeysThatNeverFail_AreNotKept_AndEndedWindowsAreSweptOut()
    {
        var time = new ManualClock();
        var windows = new FailureWindows(permits: 5, Window, time);
        for (int i = 0; i < 100; i++)
        {
            Assert.IsFalse(windows.IsExhausted($"host-{i}", out _));
        }

        int afterLooks = windows.Count;
        for (int i = 0; i < 100; i++)
        {
            windows.Record($"10.0.1.{i}");
        }

        time.Advance(Window);
        windows.Record("10.0.2.1");

        Assert.AreEqual(0, afterLooks, "Looking a key up must not add it.");
        Assert.AreEqual(1, windows.Count, "Windows that ended are swept out when the next failure is recorded.");
    }

    /// <summary>A monotonic clock that moves only when told to.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks = TimeSpan.TicksPerDay;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}
