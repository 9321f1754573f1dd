using Conductor.Abstractions.Wire;

namespace Conductor.Proxy;

/// <summary>The one connection to the conductor that every proxy in a process shares.</summary>
public interface IConductorConnection
{
    /// <summary>Gets the endpoint as configured.</summary>
    string Endpoint { get; }

    /// <summary>Gets the handshake answer of the live connection, or <see langword="null"/> while disconnected.</summary>
    HandshakeResponse? Current { get; }

    /// <summary>
    /// Connects (if not connected) and completes the handshake, within <see cref="ConductorClientOptions.CallTimeout"/>.
    /// Calls do this by themselves; call it to fail fast at start-up.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The handshake answer.</returns>
    /// <exception cref="Abstractions.ConductorUnavailableException">The conductor could not be reached in time.</exception>
    Task<HandshakeResponse> ConnectAsync(CancellationToken cancellationToken);
}
