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

            if (!await PingAsync(rpc, timeout, time).ConfigureAwait(false))
            {
                onDead(timeout);
                rpc.Dispose();
                return;
            }

            // The answer to the ping is not news of the peer's own activity.
            heard = activity?.Reads ?? 0;
        }
    }

    /// <summary>
    /// Pings the peer once and waits up to <paramref name="timeout"/> for its answer. Any answer, even an error (a peer
    /// that does not serve pings), proves the peer is there.
    /// </summary>
    /// <param name="rpc">The connection.</param>
    /// <param name="timeout">How long the ping may go unanswered.</param>
    /// <param name="time">The clock the timeout runs on.</param>
    /// <returns>
    /// <see langword="false"/> when no answer came within <paramref name="timeout"/> while the connection stayed open (the
    /// peer is dead: close the connection); <see langword="true"/> when the peer answered or the connection ended meanwhile.
    /// </returns>
    public static async Task<bool> PingAsync(JsonRpc rpc, TimeSpan timeout, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        ArgumentNullException.ThrowIfNull(time);
        using var deadline = new CancellationTokenSource(timeout, time);
        try
        {
            await rpc.InvokeWithCancellationAsync(ConductorWire.PingMethod, [], deadline.Token).WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !rpc.Completion.IsCompleted)
        {
            return false;
        }
        catch (RemoteInvocationException)
        {
            // An error answer (for example a peer that does not serve pings) is still an answer: the peer is alive.
        }
        catch (Exception ex) when (ex is ConnectionLostException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection ended; its completion says so.
        }

        return true;
    }
}
