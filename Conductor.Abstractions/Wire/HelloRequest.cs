namespace Conductor.Abstractions.Wire;

/// <summary>
/// The first message of an authenticated connection (<see cref="ConductorWire.HelloMethod"/>): who the client says it
/// is and its nonce. The conductor answers with what the client needs to compute its proof, which it then sends in
/// <see cref="HandshakeRequest.Credentials"/>.
/// </summary>
public sealed record HelloRequest
{
    /// <summary>Gets the client's name and version, for logs.</summary>
    public required string ClientName { get; init; }

    /// <summary>Gets the role the client asks for; it must be the role its credential was issued for.</summary>
    public required ConductorRole Role { get; init; }

    /// <summary>Gets the identity the client claims: its host name (or an admin's name).</summary>
    public required string HostName { get; init; }

    /// <summary>Gets the authentication mechanism; <see cref="ConductorWire.ScramSha256"/> is the only one.</summary>
    public required string Mechanism { get; init; }

    /// <summary>Gets the client's nonce: fresh random bytes for every connection, base64 (16 to 64 bytes).</summary>
    public required string ClientNonce { get; init; }
}
