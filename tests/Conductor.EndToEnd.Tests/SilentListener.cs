using System.Net;
using System.Net.Sockets;

namespace Conductor.EndToEnd.Tests;

/// <summary>A TCP listener on loopback that accepts every connection and never sends a byte: a hung conductor.</summary>
internal sealed class SilentListener : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<Socket> _accepted = [];
    private readonly Task _acceptLoop;

    public SilentListener()
    {
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    /// <summary>Gets the endpoint as clients write it.</summary>
    public string Endpoint => $"tcp://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Gets how many connections it has accepted.</summary>
    public int AcceptedCount
    {
        get
        {
            lock (_accepted)
            {
                return _accepted.Count;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _acceptLoop;
        lock (_accepted)
        {
            foreach (Socket socket in _accepted)
            {
                socket.Dispose();
            }
        }
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync();
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_accepted)
            {
                _accepted.Add(socket);
            }
        }
    }
}
