namespace Conductor.Abstractions.Wire;

/// <summary>The conductor's answer to <see cref="HelloRequest"/>: the connection's nonce and the key derivation's parameters.</summary>
public sealed record HelloResponse
{
    /// <summary>Gets the mechanism the conductor uses.</summary>
    public required string Mechanism { get; init; }

    /// <summary>Gets the server's nonce, fresh for this connection (base64); a proof made for another connection never matches it.</summary>
    public required string ServerNonce { get; init; }

    /// <summary>Gets the salt of the claimed identity's key derivation (base64).</summary>
    public required string Salt { get; init; }

    /// <summary>Gets the PBKDF2 iteration count of the claimed identity's key derivation.</summary>
    public required int Iterations { get; init; }
}
