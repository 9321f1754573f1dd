namespace Conductor.Abstractions.Wire;

/// <summary>The conductor's answer to a successful handshake.</summary>
public sealed record HandshakeResponse
{
    /// <summary>Gets the conductor's name and version (for example <c>conductor/1.0.0</c>).</summary>
    public required string ServerName { get; init; }

    /// <summary>Gets the connection's identifier, as it appears in the conductor's logs.</summary>
    public required string ConnectionId { get; init; }

    /// <summary>Gets the API versions settled for this connection: API name to <c>major.minor</c>.</summary>
    public required IReadOnlyDictionary<string, string> Apis { get; init; }

    /// <summary>Gets the conductor's clock at the time of the handshake (UTC, millisecond precision).</summary>
    public required DateTime ServerTimeUtc { get; init; }

    /// <summary>
    /// Gets the conductor's proof that it holds the client's verifier (SCRAM <c>ServerSignature</c>, base64), when the
    /// client authenticated. A client that does not get the signature it expects closes the connection.
    /// </summary>
    public string? ServerSignature { get; init; }
}
