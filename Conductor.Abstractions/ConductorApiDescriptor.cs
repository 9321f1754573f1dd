using System.Reflection;

namespace Conductor.Abstractions;

/// <summary>
/// The validated description of one conductor API interface: its name, version, audience and members with their
/// wire method names. Both sides build it once per interface, never per call.
/// </summary>
public sealed class ConductorApiDescriptor
{
    private ConductorApiDescriptor(Type interfaceType, ConductorApiAttribute attribute, IReadOnlyList<ConductorMemberDescriptor> members)
    {
        InterfaceType = interfaceType;
        Name = attribute.Name;
        Version = attribute.Version;
        Audience = attribute.Audience;
        MinimumVersion = new ApiVersion(attribute.Version.Major, attribute.MinimumMinor);
        NextReleaseMinimumVersion = new ApiVersion(attribute.Version.Major, attribute.NextReleaseMinimumMinor);
        Members = members;
    }

    /// <summary>Gets the contract interface.</summary>
    public Type InterfaceType { get; }

    /// <summary>Gets the API name.</summary>
    public string Name { get; }

    /// <summary>Gets the version this build implements.</summary>
    public ApiVersion Version { get; }

    /// <summary>Gets the role the API is for.</summary>
    public ConductorRole Audience { get; }

    /// <summary>Gets the oldest version of the same major this build talks to (<see cref="ConductorApiAttribute.MinimumMinor"/>).</summary>
    public ApiVersion MinimumVersion { get; }

    /// <summary>Gets the oldest version the next release will talk to (<see cref="ConductorApiAttribute.NextReleaseMinimumMinor"/>).</summary>
    public ApiVersion NextReleaseMinimumVersion { get; }

    /// <summary>Gets the members, in declaration order.</summary>
    public IReadOnlyList<ConductorMemberDescriptor> Members { get; }

    /// <summary>Describes a contract interface, checking every rule a conductor API must follow.</summary>
    /// <param name="interfaceType">The interface.</param>
    /// <returns>The descriptor.</returns>
    /// <exception cref="ArgumentException">The type breaks a rule; the message names the type, the member and the fix.</exception>
    public static ConductorApiDescriptor Create(Type interfaceType)
    {
        ArgumentNullException.ThrowIfNull(interfaceType);
        if (!interfaceType.IsInterface || !interfaceType.IsPublic)
        {
            throw new ArgumentException($"{interfaceType.FullName} is not a public interface. Conductor APIs must be public interfaces so that proxies can implement them.", nameof(interfaceType));
        }

        ConductorApiAttribute attribute = interfaceType.GetCustomAttribute<ConductorApiAttribute>()
            ?? throw new ArgumentException($"{interfaceType.FullName} has no [ConductorApi] attribute. Add [ConductorApi(\"name\", major, minor)] to the interface.", nameof(interfaceType));

        if (interfaceType.GetProperties().Length > 0 || interfaceType.GetEvents().Length > 0 || interfaceType.GetInterfaces().Length > 0)
        {
            throw new ArgumentException($"{interfaceType.FullName} declares properties, events or base interfaces. Conductor APIs may declare methods only.", nameof(interfaceType));
        }

        if (attribute.MinimumMinor < 0 || attribute.MinimumMinor > attribute.Version.Minor
            || attribute.NextReleaseMinimumMinor < attribute.MinimumMinor || attribute.NextReleaseMinimumMinor > attribute.Version.Minor)
        {
            throw new ArgumentException(
                $"{interfaceType.FullName} declares MinimumMinor = {attribute.MinimumMinor} and NextReleaseMinimumMinor = {attribute.NextReleaseMinimumMinor} for version {attribute.Version}. " +
                $"Both must lie between 0 and {attribute.Version.Minor}, and the next release's minimum cannot be lower than this one's.",
                nameof(interfaceType));
        }

        var members = new List<ConductorMemberDescriptor>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (MethodInfo method in interfaceType.GetMethods())
        {
            var member = ConductorMemberDescriptor.Create(attribute.Name, attribute.Version, method);
            if (!names.Add(member.MethodName))
            {
                throw new ArgumentException($"{interfaceType.FullName} has two members named {member.MethodName} on the wire. Overloads are not allowed: give each member its own name.", nameof(interfaceType));
            }

            members.Add(member);
        }

        return new ConductorApiDescriptor(interfaceType, attribute, members);
    }
}
