namespace Conductor.Host.Security;

/// <summary>The decision for one contract member and one role, made once when the conductor starts.</summary>
/// <param name="Method">The wire method name.</param>
/// <param name="Allowed">Whether the role may call it.</param>
/// <param name="Reason">Why not, for the audit log and the caller's error; empty when allowed.</param>
internal sealed record MemberAccess(string Method, bool Allowed, string Reason);
