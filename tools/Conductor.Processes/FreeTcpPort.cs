using System.Net;
using System.Net.Sockets;

namespace Conductor.Processes;

/// <summary>Picks a loopback TCP port that nothing listens on.</summary>
internal static class FreeTcpPort
{
    /// <summary>Binds port 0 on 127.0.0.1, reads the port the system chose, and releases it.</summary>
    /// <returns>The port.</returns>
    /// <remarks>
    /// The port is free when this returns; another process could still take it before the conductor binds it, in
    /// which case the conductor refuses to start with a message naming the port.
    /// </remarks>
    public static int Pick()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
