using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Conductor.Proxy.Tests;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that signals every timer it creates (Task.Delay, PeriodicTimer), so a test can
/// advance time exactly when the code under test waits, without sleeping.
/// </summary>
internal sealed class SignallingTimeProvider : FakeTimeProvider
{
    public SignallingTimeProvider()
        : base(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>Gets the due time of every timer created, in order.</summary>
    public Channel<TimeSpan> TimersCreated { get; } = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ITimer timer = base.CreateTimer(callback, state, dueTime, period);
        TimersCreated.Writer.TryWrite(dueTime);
        return timer;
    }
}
