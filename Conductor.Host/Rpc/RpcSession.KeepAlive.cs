using Conductor.Proxy;

namespace Conductor.Host.Rpc;

/// <content>
/// The connection's liveness, checked by the server's one keep-alive sweep (<see cref="ConductorServer"/>) instead of a
/// timer per connection: a peer heard from within the last <see cref="ConductorServer.PingInterval"/> needs no ping; a
/// peer silent for a whole interval is pinged, and closed as dead when the ping goes unanswered for
/// <see cref="ConductorServer.PingTimeout"/>.
/// </content>
internal sealed partial class RpcSession
{
    private long _heardReads;
    private long _heardAt;
    private int _pinging;

    /// <summary>Starts watching the peer's liveness; called once, when the handshake succeeds.</summary>
    private void StartKeepAlive()
    {
        _heardReads = _activity.Reads;
        _heardAt = _server.Clock.GetTimestamp();
    }

    /// <summary>Pings the peer if it has been silent for a whole interval. Called by the sweep, never concurrently.</summary>
    /// <param name="now">The sweep's timestamp, from the server's clock.</param>
    public void CheckLiveness(long now)
    {
        if (!IsHandshaken || Volatile.Read(ref _pinging) != 0 || _rpc.Completion.IsCompleted)
        {
            return;
        }

        long reads = _activity.Reads;
        if (reads != _heardReads)
        {
            // The peer spoke since the last look: it is alive, and a ping would only cost both sides a round trip.
            _heardReads = reads;
            _heardAt = now;
            return;
        }

        if (_server.Clock.GetElapsedTime(_heardAt, now) >= _server.PingInterval)
        {
            Volatile.Write(ref _pinging, 1);
            _ = PingAsync();
        }
    }

    private async Task PingAsync()
    {
        if (!await ConductorKeepAlive.PingAsync(_rpc, _server.PingTimeout, _server.Clock).ConfigureAwait(false))
        {
            LogPeerSilent(_logger, ConnectionId, Remote, _server.PingTimeout.TotalSeconds);
            _rpc.Dispose();
            return;
        }

        // The answer to the ping is not news of the peer's own activity: the next interval starts now.
        _heardReads = _activity.Reads;
        _heardAt = _server.Clock.GetTimestamp();
        Volatile.Write(ref _pinging, 0);
    }
}
