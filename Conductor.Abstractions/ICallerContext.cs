namespace Conductor.Abstractions;

/// <summary>
/// Who is calling: the identity the conductor took from the connection's handshake. Repositories receive it from
/// dependency injection (one per connection) and scope every answer to it; a host name inside a request is never
/// trusted.
/// </summary>
public interface ICallerContext
{
    /// <summary>Gets the caller's role.</summary>
    ConductorRole Role { get; }

    /// <summary>Gets the host name of a compute caller, or the admin client's name.</summary>
    string HostName { get; }

    /// <summary>Gets the client name the caller declared (for example <c>compute-host/1.0.0</c>).</summary>
    string ClientName { get; }

    /// <summary>Gets the conductor's identifier for the connection, used in logs.</summary>
    string ConnectionId { get; }
}
