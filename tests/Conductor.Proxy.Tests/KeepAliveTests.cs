using Compute.Host.Tests.Fakes;
using Conductor.Abstractions.Wire;
using Nerdbank.Streams;
using StreamJsonRpc;

namespace Conductor.Proxy.Tests;

/// <summary>
/// The keep-alive pings a peer only when it has gone quiet, and declares a peer that does not answer dead. Time is a
/// fake clock advanced exactly when the keep-alive waits, so nothing here depends on the machine's speed.
/// </summary>
[TestClass]
public sealed class KeepAliveTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task QuietPeer_IsPingedEveryInterval()
    {
        await using var pair = new Pair();
        var time = new SignallingTimeProvider();
        Task keepAlive = ConductorKeepAlive.RunAsync(pair.Local, Interval, PingTimeout, time, _ => { }, pair.Activity);

        await NextTimerAsync(time, Interval);
        time.Advance(Interval);
        await NextTimerAsync(time, PingTimeout);
        await NextTimerAsync(time, Interval);

        Assert.AreEqual(1, pair.PingsAnswered);
        Assert.IsFalse(keepAlive.IsCompleted);
    }

    [TestMethod]
    public async Task PeerHeardFromDuringTheInterval_IsNotPinged()
    {
        await using var pair = new Pair();
        var time = new SignallingTimeProvider();
        Task keepAlive = ConductorKeepAlive.RunAsync(pair.Local, Interval, PingTimeout, time, _ => { }, pair.Activity);
        await NextTimerAsync(time, Interval);

        await pair.Remote.InvokeWithCancellationAsync("work", [], TestContext.CancellationToken).WaitAsync(Wait);
        time.Advance(Interval);
        await NextTimerAsync(time, Interval);
        int pingsWhileBusy = pair.PingsAnswered;
        time.Advance(Interval);
        await NextTimerAsync(time, PingTimeout);
        await NextTimerAsync(time, Interval);

        Assert.AreEqual(0, pingsWhileBusy, "A peer that spoke during the interval needs no ping.");
        Assert.AreEqual(1, pair.PingsAnswered, "A peer quiet for a whole interval is pinged.");
        Assert.IsFalse(keepAlive.IsCompleted);
    }

    [TestMethod]
    public async Task PeerThatDoesNotAnswer_IsDeclaredDeadAndTheConnectionClosed()
    {
        await using var pair = new Pair(answerPings: false);
        var time = new SignallingTimeProvider();
        var dead = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task keepAlive = ConductorKeepAlive.RunAsync(pair.Local, Interval, PingTimeout, time, t => dead.TrySetResult(t), pair.Activity);

        await NextTimerAsync(time, Interval);
        time.Advance(Interval);
        await NextTimerAsync(time, PingTimeout);
        time.Advance(PingTimeout);

        Assert.AreEqual(PingTimeout, await dead.Task.WaitAsync(Wait));
        await keepAlive.WaitAsync(Wait);
        await pair.Local.Completion.WaitAsync(Wait);
    }

    private async Task NextTimerAsync(SignallingTimeProvider time, TimeSpan dueTime)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.CancellationToken);
        timeout.CancelAfter(Wait);
        Assert.AreEqual(dueTime, await time.TimersCreated.Reader.ReadAsync(timeout.Token));
    }

    /// <summary>Two JSON-RPC ends over an in-memory duplex stream; the local end's reads are watched.</summary>
    private sealed class Pair : IAsyncDisposable
    {
        private readonly TaskCompletionSource _never = new();
        private int _pings;

        public Pair(bool answerPings = true)
        {
            (Stream local, Stream remote) = FullDuplexStream.CreatePair();
            Local = new JsonRpc(ConductorWireFormat.CreateMessageHandler(Activity.Watch(local)));
            Local.AddLocalRpcMethod("work", new Func<int>(() => 42));
            Remote = new JsonRpc(ConductorWireFormat.CreateMessageHandler(remote));
            Remote.AddLocalRpcMethod(ConductorWire.PingMethod, new Func<Task>(() =>
            {
                if (!answerPings)
                {
                    return _never.Task;
                }

                Interlocked.Increment(ref _pings);
                return Task.CompletedTask;
            }));
            Local.StartListening();
            Remote.StartListening();
        }

        public PeerActivity Activity { get; } = new();

        public JsonRpc Local { get; }

        public JsonRpc Remote { get; }

        public int PingsAnswered => Volatile.Read(ref _pings);

        public ValueTask DisposeAsync()
        {
            _never.TrySetResult();
            Local.Dispose();
            Remote.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
