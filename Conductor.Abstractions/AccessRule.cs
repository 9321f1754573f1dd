namespace Conductor.Abstractions;

/// <summary>Who may call a conductor API member, declared with <see cref="ConductorAccessAttribute"/>.</summary>
public enum AccessRule
{
    /// <summary>
    /// An authenticated compute host, on its own records only: the member takes no host argument and the conductor
    /// answers from the connection's identity, treating another host's record exactly as a missing one.
    /// </summary>
    OwnHost = 0,

    /// <summary>An authenticated admin connection (the operators' CLI), across the whole cluster.</summary>
    Admin = 1,
}
