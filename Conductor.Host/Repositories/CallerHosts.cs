using Conductor.Abstractions;

namespace Conductor.Host.Repositories;

/// <summary>Reads the calling host's name from the connection, never from a request.</summary>
internal static class CallerHosts
{
    /// <summary>Returns the caller's host name.</summary>
    /// <param name="caller">The caller.</param>
    /// <returns>The host name.</returns>
    /// <exception cref="AccessDeniedException">The connection did not identify a host.</exception>
    public static string Of(ICallerContext caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        string host = caller.HostName;
        if (string.IsNullOrWhiteSpace(host))
        {
            throw new AccessDeniedException("This connection did not identify a compute host, so it cannot use host-scoped records. Connect with the host's name in the handshake.");
        }

        return host;
    }
}
