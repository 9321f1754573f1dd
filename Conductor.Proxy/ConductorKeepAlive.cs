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
    /// <paramref name="timeout"/>, calls <paramref name="onDead"/> and disposes the connection.
    /// </summary>
    /// <param name="rpc">The connection.</param>
    /// <param name="interval">The pause between pings; zero or less does nothing.</param>
    /// <param name="timeout">How long a ping may go unanswered.</param>
    /// <param name="time">The clock the pauses run on.</param>
    /// <param name="onDead">Called once, with the timeout, when the peer is declared dead (before the connection is disposed).</param>
    /// <returns>A task that completes when the connection has ended; it never faults.</returns>
    public static async Task RunAsync(JsonRpc rpc, TimeSpan interval, TimeSpan timeout, TimeProvider time, Action<TimeSpan> onDead)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(onDead);
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        Task ended = rpc.Completion;
        while (!ended.IsCompleted)
        {
            Task pause = Task.Delay(interval, time);
            if (await Task.WhenAny(pause, ended).ConfigureAwait(false) == ended)
            {
                return;
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
        }
    }
}
