using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Conductor.Abstractions;
using Conductor.Abstractions.Wire;

namespace Conductor.Host.Tests.Docs;

/// <summary>
/// The wire contract of the built-in APIs as the code defines it, rendered in the vocabulary of docs/protocol.md
/// (uuid, time, int32, ... and camelCase names), so the document's tables can be checked against the code.
/// </summary>
internal static class WireContract
{
    /// <summary>Gets every API descriptor the conductor serves by default.</summary>
    public static IReadOnlyList<ConductorApiDescriptor> Apis { get; } = [.. BuiltInApis.All.Select(ConductorApiDescriptor.Create)];

    /// <summary>Renders an API as its row of the APIs table: name, version, role, interface.</summary>
    public static string ApiRow(ConductorApiDescriptor api) =>
        $"| `{api.Name}` | {api.Version} | {Camel(api.Audience.ToString())} | `{api.InterfaceType.Name}` |";

    /// <summary>Renders a member as its row of the methods table: method, parameters in order, result.</summary>
    public static string MethodRow(ConductorMemberDescriptor member)
    {
        ParameterInfo[] parameters = member.Method.GetParameters()[..member.ArgumentCount];
        string args = parameters.Length == 0 ? "(none)" : string.Join(", ", parameters.Select(p => $"`{p.Name}`: {Render(p.ParameterType)}"));
        string result = member.ResultType is null ? "null" : member.IsStream ? $"stream of {Render(member.ResultType)}" : Render(member.ResultType);
        return $"| `{member.MethodName}` | {args} | {result} |";
    }

    /// <summary>Gets every object type that crosses the wire: handshake types and everything the APIs take and return, transitively.</summary>
    public static IReadOnlyList<Type> ObjectTypes()
    {
        var found = new List<Type>();
        var pending = new Queue<Type>([typeof(HandshakeRequest), typeof(HandshakeResponse)]);
        foreach (ConductorMemberDescriptor member in Apis.SelectMany(a => a.Members))
        {
            foreach (ParameterInfo parameter in member.Method.GetParameters()[..member.ArgumentCount])
            {
                pending.Enqueue(parameter.ParameterType);
            }

            if (member.ResultType is not null)
            {
                pending.Enqueue(member.ResultType);
            }
        }

        while (pending.TryDequeue(out Type? type))
        {
            foreach (Type inner in Components(type))
            {
                Type definition = inner.IsGenericType ? inner.GetGenericTypeDefinition() : inner;
                if (IsObject(definition) && !found.Contains(definition))
                {
                    found.Add(definition);
                    foreach (PropertyInfo property in Properties(definition))
                    {
                        pending.Enqueue(property.PropertyType);
                    }
                }
            }
        }

        return found;
    }

    /// <summary>Gets every enum that crosses the wire.</summary>
    public static IReadOnlyList<Type> Enums() =>
        [.. ObjectTypes().SelectMany(Properties).SelectMany(p => Components(p.PropertyType)).Where(t => t.IsEnum).Distinct()];

    /// <summary>Renders an object type's fields as (name, type, required) in declaration order.</summary>
    public static IReadOnlyList<(string Name, string Type, string Required)> Fields(Type type) =>
        [.. Properties(type).Select(p => (Camel(p.Name), Render(p.PropertyType), p.IsDefined(typeof(RequiredMemberAttribute)) ? "yes" : "no"))];

    /// <summary>Renders an enum's row: its wire values in declaration order.</summary>
    public static string EnumRow(Type type) =>
        $"| `{type.Name}` | {string.Join(", ", Enum.GetNames(type).Select(n => $"`{Camel(n)}`"))} |";

    /// <summary>Gets the heading of an object type's section.</summary>
    public static string Heading(Type type) => $"#### `{Name(type)}`";

    /// <summary>Renders a .NET type in the document's vocabulary.</summary>
    public static string Render(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Render(underlying);
        }

        if (type == typeof(string))
        {
            return "string";
        }

        if (type == typeof(int))
        {
            return "int32";
        }

        if (type == typeof(long))
        {
            return "int64";
        }

        if (type == typeof(bool))
        {
            return "boolean";
        }

        if (type == typeof(Guid))
        {
            return "uuid";
        }

        if (type == typeof(DateTime))
        {
            return "time";
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            return Render(type.GetGenericArguments()[0]) + "[]";
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>))
        {
            return $"map<{Render(type.GetGenericArguments()[0])},{Render(type.GetGenericArguments()[1])}>";
        }

        if (type.IsGenericType)
        {
            return $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(",", type.GetGenericArguments().Select(Render))}>";
        }

        return type.Name;
    }

    private static string Name(Type type) => type.IsGenericTypeDefinition ? Render(type) : type.Name;

    private static string Camel(string name) => JsonNamingPolicy.CamelCase.ConvertName(name);

    private static bool IsObject(Type type) => !type.IsGenericParameter && type.IsClass && type != typeof(string) && type.Namespace?.StartsWith("Conductor.", StringComparison.Ordinal) == true;

    private static IEnumerable<PropertyInfo> Properties(Type type) => type.GetProperties(BindingFlags.Public | BindingFlags.Instance);

    private static IEnumerable<Type> Components(Type type)
    {
        yield return Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsGenericType)
        {
            foreach (Type argument in type.GetGenericArguments().SelectMany(Components))
            {
                yield return argument;
            }
        }
    }
}
