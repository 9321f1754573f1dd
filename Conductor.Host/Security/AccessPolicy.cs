using System.Collections.Frozen;
using System.Reflection;
using Conductor.Abstractions;
using Conductor.Host.Rpc;

namespace Conductor.Host.Security;

/// <summary>
/// Who may call what, read from the <see cref="ConductorAccessAttribute"/> rules on the served contracts once at start
/// and kept as one frozen table per role. A connection picks its role's table at handshake, so authorizing a call is
/// one lookup; a member without a rule is denied to everyone.
/// </summary>
internal sealed class AccessPolicy
{
    private readonly FrozenDictionary<string, MemberAccess> _compute;
    private readonly FrozenDictionary<string, MemberAccess> _admin;

    public AccessPolicy(IEnumerable<ServedApiRegistration> registrations)
    {
        ArgumentNullException.ThrowIfNull(registrations);
        var compute = new Dictionary<string, MemberAccess>(StringComparer.Ordinal);
        var admin = new Dictionary<string, MemberAccess>(StringComparer.Ordinal);
        var unruled = new List<string>();
        foreach (Type api in registrations.Select(r => r.ApiType).Distinct())
        {
            ConductorApiDescriptor descriptor = ConductorApiDescriptor.Create(api);
            foreach (ConductorMemberDescriptor member in descriptor.Members)
            {
                ConductorAccessAttribute[] rules = [.. member.Method.GetCustomAttributes<ConductorAccessAttribute>(inherit: false)];
                foreach (ConductorAccessAttribute rule in rules.Where(r => r.Role != descriptor.Audience))
                {
                    throw new InvalidOperationException(
                        $"{api.FullName}.{member.Method.Name} declares [ConductorAccess(AccessRule.{rule.Rule})], but its API's audience is {descriptor.Audience}, so connections of that role are never served it. Move the member to an API whose audience is {rule.Role}, or fix the rule.");
                }

                if (rules.Length == 0)
                {
                    unruled.Add(member.MethodName);
                }

                compute[member.MethodName] = Decide(member.MethodName, rules, ConductorRole.Compute);
                admin[member.MethodName] = Decide(member.MethodName, rules, ConductorRole.Admin);
            }
        }

        _compute = compute.ToFrozenDictionary(StringComparer.Ordinal);
        _admin = admin.ToFrozenDictionary(StringComparer.Ordinal);
        MembersWithoutRule = unruled;
    }

    /// <summary>Gets the wire names of served members that declare no rule (nobody may call them).</summary>
    public IReadOnlyList<string> MembersWithoutRule { get; }

    /// <summary>Gets the decisions for one role, by wire method name.</summary>
    /// <param name="role">The role.</param>
    /// <returns>The table.</returns>
    public FrozenDictionary<string, MemberAccess> For(ConductorRole role) => role == ConductorRole.Admin ? _admin : _compute;

    private static MemberAccess Decide(string method, ConductorAccessAttribute[] rules, ConductorRole role)
    {
        if (rules.Length == 0)
        {
            return new MemberAccess(method, false, "the member declares no [ConductorAccess] rule, so nobody may call it");
        }

        return rules.Any(r => r.Role == role)
            ? new MemberAccess(method, true, string.Empty)
            : new MemberAccess(method, false, role == ConductorRole.Compute ? "compute hosts may not call admin members" : "admin connections do not call compute hosts' own-host members");
    }
}
