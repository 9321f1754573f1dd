namespace Conductor.Abstractions.Wire;

/// <summary>
/// The first message of every connection (<see cref="ConductorWire.HandshakeMethod"/>). Until it succeeds no other
/// method is callable.
/// </summary>
public sealed record HandshakeRequest
{
    /// <summary>Gets the client's name and version, for logs (for example <c>compute-host/1.0.0</c>).</summary>
    public required string ClientName { get; init; }

    /// <summary>Gets the role the client asks for.</summary>
    public required ConductorRole Role { get; init; }

    /// <summary>Gets the host name the client speaks for. A compute host's records are bound to it.</summary>
    public required string HostName { get; init; }

    /// <summary>Gets the API versions the client was built with: API name to <c>major.minor</c>.</summary>
    public required IReadOnlyDictionary<string, string> Apis { get; init; }

    /// <summary>
    /// Gets the proof of the identity: the SCRAM-SHA-256 client proof (base64) computed over the nonces and salt of
    /// this connection's <see cref="ConductorWire.HelloMethod"/> call. The secret itself never crosses the wire.
    /// </summary>
    public string? Credentials { get; init; }
}
