using System.Net;
using System.Net.Sockets;

namespace Conductor.Reliability.Tests;

/// <summary>
/// A loopback TCP relay between clients and the conductor. It can hold what the conductor sends (so a request is
/// applied but its reply never arrives) and it can freeze: stop forwarding in both directions without closing either
/// side, which is what a peer that vanished without a FIN looks like (keep-alives alone do not show it on loopback).
/// A close on one side is passed on to the other unless the relay is frozen.
/// </summary>
internal sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _upstreamPort;
    private readonly List<Socket> _sockets = [];
    private readonly Task _acceptLoop;
    private readonly CancellationTokenSource _stop = new();
    private volatile bool _holdReplies;
    private volatile bool _frozen;
    private int _connections;

    public TcpRelay(int upstreamPort)
    {
        _upstreamPort = upstreamPort;
        _listener.Start();
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public string Endpoint => $"tcp://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Gets how many client connections the relay has accepted.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>From now on, bytes from the conductor are dropped: requests arrive, replies never do.</summary>
    public void HoldReplies() => _holdReplies = true;

    /// <summary>Stops forwarding in both directions and stops passing closes on: every connection becomes half-open.</summary>
    public void Freeze() => _frozen = true;

    /// <summary>Forwards normally again.</summary>
    public void Resume()
    {
        _frozen = false;
        _holdReplies = false;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        lock (_sockets)
        {
            _sockets.ForEach(s => s.Dispose());
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await upstream.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _upstreamPort), _stop.Token);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                // The conductor is down: refuse the client the way the conductor would.
                upstream.Dispose();
                client.Dispose();
                continue;
            }

            lock (_sockets)
            {
                _sockets.Add(client);
                _sockets.Add(upstream);
            }

            Interlocked.Increment(ref _connections);
            _ = PumpAsync(client, upstream, replies: false);
            _ = PumpAsync(upstream, client, replies: true);
        }
    }

    private async Task PumpAsync(Socket from, Socket to, bool replies)
    {
        byte[] buffer = new byte[16384];
        try
        {
            while (true)
            {
                int read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (_frozen)
                {
                    // Half-open: swallow everything, closes included; neither side hears anything again.
                    if (read == 0)
                    {
                        return;
                    }

                    continue;
                }

                if (read == 0)
                {
                    break;
                }

                if (replies && _holdReplies)
                {
                    continue;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            if (_frozen)
            {
                return;
            }
        }

        // Pass the close on, as a relay that is still working would.
        try
        {
            to.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }

        to.Dispose();
        from.Dispose();
    }
}
