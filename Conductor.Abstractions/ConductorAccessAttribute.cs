namespace Conductor.Abstractions;

/// <summary>
/// Declares who may call a conductor API member. The conductor decides every call from the connection's
/// authenticated identity and these rules alone; a member without a rule is callable by nobody (denied by default).
/// </summary>
/// <remarks>
/// The rules sit next to the members so that a reviewer sees at a glance what a compute host may do. A member may
/// carry several rules; the call is allowed when any of them admits the connection's role.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class ConductorAccessAttribute : Attribute
{
    /// <summary>Initializes a new instance of the <see cref="ConductorAccessAttribute"/> class.</summary>
    /// <param name="rule">Who may call the member.</param>
    /// <exception cref="ArgumentOutOfRangeException">The rule is not one of <see cref="AccessRule"/>'s values.</exception>
    public ConductorAccessAttribute(AccessRule rule)
    {
        if (!Enum.IsDefined(rule))
        {
            throw new ArgumentOutOfRangeException(nameof(rule), rule, "Use one of the AccessRule values: OwnHost or Admin.");
        }

        Rule = rule;
    }

    /// <summary>Gets who may call the member.</summary>
    public AccessRule Rule { get; }

    /// <summary>Gets the connection role the rule admits.</summary>
    public ConductorRole Role => Rule == AccessRule.Admin ? ConductorRole.Admin : ConductorRole.Compute;
}
