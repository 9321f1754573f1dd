namespace Conductor.Abstractions;

/// <summary>
/// The stable numeric error codes the conductor sends in JSON-RPC error responses. They are part of the wire
/// contract: a code never changes meaning. They lie outside the range JSON-RPC reserves (-32768 to -32000).
/// </summary>
public static class ConductorErrorCodes
{
    /// <summary>The record does not exist, or exists but belongs to another host (the two are indistinguishable).</summary>
    public const int NotFound = 1001;

    /// <summary>The record is not in the state the caller expected (a lost compare-and-swap) or already exists.</summary>
    public const int Conflict = 1002;

    /// <summary>The connection's identity may not call this member or see this record.</summary>
    public const int AccessDenied = 1003;

    /// <summary>The conductor could not be reached or did not answer in time. Raised on the client side.</summary>
    public const int ConductorUnavailable = 1004;

    /// <summary>The two sides do not share a compatible API version, or the member is newer than the negotiated one.</summary>
    public const int VersionNotSupported = 1005;

    /// <summary>A process that must not touch the database (a compute host) tried to. Raised locally, never sent.</summary>
    public const int DatabaseAccessNotAllowed = 1006;

    /// <summary>The request's arguments are missing or out of range.</summary>
    public const int InvalidArgument = 1007;

    /// <summary>The conductor cannot complete the request right now (for example no host has capacity); the caller may retry later.</summary>
    public const int NoCapacity = 1008;

    /// <summary>The conductor failed to make a write durable (disk full, I/O error). The write was not acknowledged.</summary>
    public const int StorageFailure = 1009;

    /// <summary>A method other than the handshake was called before the handshake succeeded, or the handshake was refused.</summary>
    public const int HandshakeRequired = 1010;

    /// <summary>An unexpected server error. Details are in the conductor's log under the correlation id in the message.</summary>
    public const int Internal = 1099;
}
