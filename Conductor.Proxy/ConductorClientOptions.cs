using System.ComponentModel.DataAnnotations;
using Conductor.Abstractions;

namespace Conductor.Proxy;

/// <summary>How a process reaches the conductor. Bound from the <c>Conductor</c> configuration section.</summary>
public sealed class ConductorClientOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "Conductor";

    /// <summary>
    /// Gets or sets the conductor's endpoint: <c>tcp://host:port</c> or <c>unix:/path/to/socket</c>.
    /// Defaults to <c>tcp://127.0.0.1:7400</c>.
    /// </summary>
    [Required]
    public string Endpoint { get; set; } = "tcp://127.0.0.1:7400";

    /// <summary>Gets or sets the role this process asks for. Defaults to <see cref="ConductorRole.Compute"/>.</summary>
    public ConductorRole Role { get; set; } = ConductorRole.Compute;

    /// <summary>Gets or sets the host name this process speaks for. Defaults to the machine name.</summary>
    [Required]
    public string HostName { get; set; } = Environment.MachineName;

    /// <summary>Gets or sets the client name sent in the handshake, for the conductor's logs.</summary>
    [Required]
    public string ClientName { get; set; } = "conductor-client";

    /// <summary>Gets or sets the credentials sent in the handshake, if the conductor requires them.</summary>
    public string? Credentials { get; set; }

    /// <summary>Gets or sets how long one connection attempt (connect plus handshake) may take. Defaults to 5 seconds.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets the deadline of every call, including any wait for a connection. A call that has no answer by
    /// then fails with <see cref="ConductorUnavailableException"/>. Defaults to 30 seconds.
    /// </summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets how long a call interrupted by a lost connection waits for the proxy to reconnect before its one
    /// retry (reads, and writes that carry a request id). Zero disables the retry. Defaults to 5 seconds; the call's
    /// deadline (<see cref="CallTimeout"/>) still bounds the whole call.
    /// </summary>
    public TimeSpan InFlightRetryWindow { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets how often the proxy pings the conductor (<c>conductor.Ping</c>) to detect a connection whose peer
    /// vanished without closing it. Zero disables pinging. Defaults to 15 seconds.
    /// </summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Gets or sets how long a ping may go unanswered before the connection is closed as dead (and calls on it fail
    /// with <see cref="ConductorUnavailableException"/>). Defaults to 10 seconds, so a dead conductor is noticed within
    /// <see cref="PingInterval"/> + <see cref="PingTimeout"/>.
    /// </summary>
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the longest pause between reconnection attempts while the conductor is unreachable. Defaults to 2 seconds.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Gets the versions this process announces at most, per API (Nova's <c>[upgrade_levels]</c>): API name to
    /// <c>major.minor</c>, for example <c>Conductor:ApiVersionPins:instances = 1.0</c>. Without a pin the process
    /// announces the version it was built with and settles on the highest version the conductor also speaks.
    /// </summary>
    public Dictionary<string, string> ApiVersionPins { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Gets or sets a factory that opens the transport stream instead of <see cref="Endpoint"/> (for in-memory
    /// transports in tests). <see cref="Endpoint"/> is still used in messages.
    /// </summary>
    public Func<CancellationToken, ValueTask<Stream>>? ConnectionFactory { get; set; }
}
