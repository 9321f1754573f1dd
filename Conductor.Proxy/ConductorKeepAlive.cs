using Conductor.Abstractions.Wire;
using StreamJsonRpc;

namespace Conductor.Proxy;

/// <summary>
/// The application-level liveness check both sides of a conductor connection run: TCP keep-alives do not notice a
/// peer that vanished without closing the connection (a half-open connection) within any useful time, so each side
/// sends <see cref="ConductorWire.PingMethod"/> every interval and closes the connection when an answer does not come
/// within the timeout, releasing everything bound to it.
/// </summary>
public static class ConductorKeepAlive
{
    /// <summary>Serves <see cref="ConductorWire.PingMethod"/> on a connection. Call before it starts listening, or allow modification while listening.</summary>
    /// <param name="rpc">The connection.</param>
    public static void AddPingTarget(JsonRpc rpc)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        rpc.AddLocalRpcMethod(ConductorWire.PingMethod, new Func<object?>(static () => null));
    }

    /// <summary>
    /// Pings the peer every <paramref name="interval"/> until the connection ends; when a ping has no answer within
    /// <paramref name="timeout"/>, calls <paramref name="onDead"/> and disposes the connection. With
    /// <paramref name="activity"/>, an interval in which the peer was heard from needs no ping, so a busy connection
    /// costs nothing; a peer that vanished is then declared dead within two intervals plus the timeout.
    /// </summary>
    /// <param name="rpc">The connection.</param>
    /// <param name="interval">The pause between pings; zero or less does nothing.</param>
    /// <param name="timeout">How long a ping may go unanswered.</param>
    /// <param name="time">The clock the pauses run on.</param>
    /// <param name="onDead">Called once, with the timeout, when the peer is declared dead (before the connection is disposed).</param>
    /// <param name="activity">What the connection has read, from <see cref="PeerActivity.Watch"/>; <see langword="null"/> pings every interval.</param>
    /// <returns>A task that completes when the connection has ended; it never faults.</returns>
    public static async Task RunAsync(JsonRpc rpc, TimeSpan interval, TimeSpan timeout, TimeProvider time, Action<TimeSpan> onDead, PeerActivity? activity = null)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(onDead);
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        Task ended = rpc.Completion;
        long heard = activity?.Reads ?? 0;
        while (!ended.IsCompleted)
        {
            Task pause = Task.Delay(interval, time);
            if (await Task.WhenAny(pause, ended).ConfigureAwait(false) == ended)
            {
                return;
            }

            if (activity is not null && activity.Reads != heard)
            {
                // The peer spoke during this interval: it is alive, and a ping would only cost both sides a round trip.
                heard = activity.Reads;
                continue;
            }

            using var deadline = new CancellationTokenSource(timeout, time);
            try
            {
                await rpc.InvokeWithCancellationAsync(ConductorWire.PingMethod, [], deadline.Token).WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ended.IsCompleted)
            {
                onDead(timeout);
                rpc.Dispose();
                return;
            }
            catch (RemoteInvocationException)
            {
                // An error answer (for example a peer that does not serve pings) is still an answer: the peer is alive.
            }
            catch (Exception ex) when (ex is ConnectionLostException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }

            // The answer to the ping is not news of the peer's own activity.
            heard = activity?.Reads ?? 0;
        }
    }
}
