namespace Conductor.Abstractions;

/// <summary>The role a connection declares in its handshake, and the audience of an API.</summary>
public enum ConductorRole
{
    /// <summary>A compute host: sees only the records bound to its own host name.</summary>
    Compute = 0,

    /// <summary>An operator's client (the conductor CLI): manages the whole cluster.</summary>
    Admin = 1,
}
