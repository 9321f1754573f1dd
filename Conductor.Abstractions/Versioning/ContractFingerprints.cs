using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace Conductor.Abstractions.Versioning;

/// <summary>
/// Fingerprints the shape of conductor APIs and their DTOs (Nova's <c>ObjectVersionChecker</c>): member signatures,
/// DTO property names, types and nullability, enum values, and every declared version. A test compares them with a
/// checked-in table, so that a shape cannot change without a version bump. Keys are <c>api {name}</c> and
/// <c>dto {full type name}</c>; an API's value is <c>{version}-{hash}</c>, a DTO's is <c>{hash}</c>.
/// </summary>
public static class ContractFingerprints
{
    /// <summary>Fingerprints a set of APIs and every DTO they carry.</summary>
    /// <param name="apis">The contract interfaces.</param>
    /// <returns>Key to fingerprint, in ordinal key order.</returns>
    public static IReadOnlyDictionary<string, string> Compute(IEnumerable<Type> apis)
    {
        ArgumentNullException.ThrowIfNull(apis);
        List<ConductorApiDescriptor> descriptors = apis.Select(ConductorApiDescriptor.Create).ToList();
        WireContract contract = WireContract.Create(descriptors);
        var nullability = new NullabilityInfoContext();
        var dtoText = contract.Dtos.Values.ToDictionary(d => d.Type, d => DescribeDto(d, nullability));
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach ((Type type, string text) in dtoText)
        {
            result["dto " + Name(type)] = Hash(text);
        }

        foreach (ConductorApiDescriptor api in descriptors)
        {
            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"api {api.Name} {api.Version} audience={api.Audience} minimum={api.MinimumVersion} next-minimum={api.NextReleaseMinimumVersion}\n");
            foreach (ConductorMemberDescriptor member in api.Members.OrderBy(m => m.Method.MetadataToken))
            {
                text.Append(DescribeMember(member, nullability)).Append('\n');
            }

            foreach (DtoDescriptor dto in contract.Dtos.Values.Where(d => d.CarrierSet.Contains(api.Name)).OrderBy(d => ShortName(d.Type), StringComparer.Ordinal).ThenBy(d => Name(d.Type), StringComparer.Ordinal))
            {
                text.Append(dtoText[dto.Type]);
            }

            result["api " + api.Name] = api.Version + "-" + Hash(text.ToString());
        }

        return result;
    }

    /// <summary>Lists, per DTO key of <see cref="Compute"/>, the APIs that carry the DTO (for <see cref="Compare"/>'s messages).</summary>
    /// <param name="apis">The contract interfaces.</param>
    /// <returns>DTO key to API names.</returns>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Carriers(IEnumerable<Type> apis)
    {
        ArgumentNullException.ThrowIfNull(apis);
        WireContract contract = WireContract.Create(apis.Select(ConductorApiDescriptor.Create));
        return contract.Dtos.Values.ToDictionary(d => "dto " + Name(d.Type), d => d.Carriers, StringComparer.Ordinal);
    }

    /// <summary>Parses a fingerprint table: one <c>key = value</c> per line; blank lines and lines starting with '#' are ignored.</summary>
    /// <param name="text">The table.</param>
    /// <returns>Key to value.</returns>
    /// <exception cref="FormatException">A line has no '='.</exception>
    public static IReadOnlyDictionary<string, string> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var table = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            int equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                throw new FormatException($"The fingerprint table line '{line}' has no '='. Write lines as 'api name = version-hash' or 'dto Type.Name = hash'.");
            }

            table[line[..equals].Trim()] = line[(equals + 1)..].Trim();
        }

        return table;
    }

    /// <summary>Writes fingerprints as a table that <see cref="Parse"/> reads.</summary>
    /// <param name="fingerprints">The fingerprints.</param>
    /// <returns>The table, one line per key in ordinal order.</returns>
    public static string Format(IReadOnlyDictionary<string, string> fingerprints)
    {
        ArgumentNullException.ThrowIfNull(fingerprints);
        return string.Concat(fingerprints.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} = {p.Value}\n"));
    }

    /// <summary>
    /// Compares fingerprints with the expected table and explains every difference: which API or DTO changed and what
    /// to bump.
    /// </summary>
    /// <param name="actual">The fingerprints of the code (<see cref="Compute"/>).</param>
    /// <param name="expected">The checked-in table.</param>
    /// <param name="dtoCarriers">Which APIs carry each DTO key, for the messages.</param>
    /// <returns>One sentence per difference; empty when they match.</returns>
    public static IReadOnlyList<string> Compare(IReadOnlyDictionary<string, string> actual, IReadOnlyDictionary<string, string> expected, IReadOnlyDictionary<string, IReadOnlyList<string>>? dtoCarriers = null)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(expected);
        var problems = new List<string>();
        foreach ((string key, string value) in actual)
        {
            bool isApi = key.StartsWith("api ", StringComparison.Ordinal);
            string name = key[4..];
            if (!expected.TryGetValue(key, out string? old))
            {
                problems.Add(isApi
                    ? $"API {name} is new ({value}). Add the line '{key} = {value}' to the fingerprint table and its version history to docs/upgrades.md."
                    : $"DTO {name} is new. An API that starts carrying it changes shape too: bump that API (see its message), then add the line '{key} = {value}' to the fingerprint table.");
                continue;
            }

            if (old == value)
            {
                continue;
            }

            if (!isApi)
            {
                string carriers = dtoCarriers is not null && dtoCarriers.TryGetValue(key, out IReadOnlyList<string>? list) ? string.Join(", ", list) : "the APIs that carry it";
                problems.Add(
                    $"DTO {name} changed shape (its fields, their types, nullability or declared versions), and it is carried by {carriers}. " +
                    "A new field is a compatible change: mark it [ConductorSince(major, minor + 1)] and bump the minor version of every carrying API; " +
                    $"renaming, removing or retyping a field is not: bump their major versions. Then set the line to '{key} = {value}'.");
                continue;
            }

            (string oldVersion, string oldHash) = Split(old);
            (string newVersion, string newHash) = Split(value);
            if (oldVersion == newVersion && oldHash != newHash)
            {
                ApiVersion version = ApiVersion.Parse(newVersion);
                problems.Add(
                    $"The shape of API {name} changed (its members, their signatures, the DTOs it carries or their declared versions), but its version is still {newVersion}. " +
                    $"For an addition, bump it to {version.Major}.{version.Minor + 1} ([ConductorApi(\"{name}\", {version.Major}, {version.Minor + 1})]) and mark what was added [ConductorSince({version.Major}, {version.Minor + 1})]; " +
                    $"for a removal or an incompatible change, bump it to {version.Major + 1}.0. Record the version in docs/upgrades.md, then update the line '{key}' to the fingerprint this test prints.");
            }
            else if (oldVersion != newVersion)
            {
                problems.Add(
                    $"API {name} is now {newVersion} but the fingerprint table has {oldVersion}. If the bump is intended, record {newVersion} in docs/upgrades.md's version history and set the line to '{key} = {value}'.");
            }
        }

        foreach (string key in expected.Keys.Where(k => !actual.ContainsKey(k)))
        {
            problems.Add($"{(key.StartsWith("api ", StringComparison.Ordinal) ? "API" : "DTO")} {key[4..]} is in the fingerprint table but no longer in the contract. Removing it is an incompatible change: bump the major version of the APIs that had it, then remove the line '{key}'.");
        }

        return problems;
    }

    private static (string Version, string Hash) Split(string value)
    {
        int dash = value.IndexOf('-', StringComparison.Ordinal);
        return dash < 0 ? (string.Empty, value) : (value[..dash], value[(dash + 1)..]);
    }

    private static string DescribeDto(DtoDescriptor dto, NullabilityInfoContext nullability)
    {
        var text = new StringBuilder();
        Type type = dto.Type;
        if (type.IsEnum)
        {
            text.Append(CultureInfo.InvariantCulture, $"enum {ShortName(type)} : {ShortName(Enum.GetUnderlyingType(type))}\n");
            foreach (FieldInfo field in type.GetFields(BindingFlags.Public | BindingFlags.Static).OrderBy(f => f.MetadataToken))
            {
                text.Append(CultureInfo.InvariantCulture, $"  {field.Name} = {Convert.ToInt64(field.GetRawConstantValue(), CultureInfo.InvariantCulture)}\n");
            }

            return text.ToString();
        }

        text.Append(CultureInfo.InvariantCulture, $"{(type.IsValueType ? "struct" : "class")} {Format(type, null, full: false)}\n");
        foreach (DtoPropertyDescriptor property in dto.Properties)
        {
            string since = string.Join(",", property.Since.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{p.Value}"));
            text.Append(CultureInfo.InvariantCulture, $"  {property.Property.Name}: {Format(property.Property.PropertyType, nullability.Create(property.Property))}{(property.IsRequired ? " required" : string.Empty)}{(since.Length > 0 ? " since " + since : string.Empty)}\n");
        }

        return text.ToString();
    }

    private static string DescribeMember(ConductorMemberDescriptor member, NullabilityInfoContext nullability)
    {
        MethodInfo method = member.Method;
        string parameters = string.Join(", ", method.GetParameters().Select(p => $"{Format(p.ParameterType, nullability.Create(p))} {p.Name}"));
        return $"  {member.MethodName}({parameters}) -> {Format(method.ReturnType, nullability.Create(method.ReturnParameter))} since {member.Since}";
    }

    // Types are written by their short names in fingerprints: the wire does not carry CLR namespaces, so moving a DTO
    // to another namespace is not a shape change. The table's keys use full names, which are unique.
    private static string Format(Type type, NullabilityInfo? info, bool full = false)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Format(underlying, info?.GenericTypeArguments.FirstOrDefault(), full) + "?";
        }

        string text;
        if (type.IsArray)
        {
            text = Format(type.GetElementType()!, info?.ElementType, full) + "[]";
        }
        else if (type.IsGenericType)
        {
            Type[] arguments = type.GetGenericArguments();
            string bare = full ? FullName(type.GetGenericTypeDefinition()) : type.GetGenericTypeDefinition().Name;
            bare = bare[..bare.IndexOf('`', StringComparison.Ordinal)];
            text = bare + "<" + string.Join(", ", arguments.Select((a, i) => Format(a, info is not null && i < info.GenericTypeArguments.Length ? info.GenericTypeArguments[i] : null, full))) + ">";
        }
        else
        {
            text = full ? FullName(type) : type.Name;
        }

        return !type.IsValueType && info?.ReadState == NullabilityState.Nullable ? text + "?" : text;
    }

    private static string ShortName(Type type) => Format(type, null, full: false);

    private static string Name(Type type) => Format(type, null, full: true);

    private static string FullName(Type type) => (type.FullName ?? type.Name).Replace('+', '.');

    private static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
}
