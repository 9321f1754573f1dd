using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Conductor.Abstractions.Wire;

namespace Conductor.Abstractions.Versioning;

/// <summary>
/// The wire contract of a set of conductor APIs: every DTO their members carry, the APIs that carry it, and the version
/// that added each property. Built once per process for the APIs it serves or proxies. The backport of a connection
/// (which properties it must not see) is derived from it once per distinct set of settled versions and cached, so no
/// connection and no call pays for it again.
/// </summary>
public sealed class WireContract
{
    private readonly Dictionary<string, ConductorApiDescriptor> _apis;
    private readonly Dictionary<Type, DtoDescriptor> _dtos = [];
    private readonly ConcurrentDictionary<string, JsonSerializerOptions?> _backports = new(StringComparer.Ordinal);

    private WireContract(IEnumerable<ConductorApiDescriptor> apis)
    {
        _apis = apis.DistinctBy(a => a.InterfaceType).ToDictionary(a => a.Name, StringComparer.Ordinal);
        foreach (ConductorApiDescriptor api in _apis.Values)
        {
            foreach (ConductorMemberDescriptor member in api.Members)
            {
                foreach (ParameterInfo parameter in member.Method.GetParameters())
                {
                    if (parameter.ParameterType != typeof(CancellationToken))
                    {
                        Visit(parameter.ParameterType, api.Name);
                    }
                }

                if (member.ResultType is { } result)
                {
                    Visit(result, api.Name);
                }
            }
        }

        foreach (DtoDescriptor dto in _dtos.Values.Where(d => !d.Type.IsEnum))
        {
            dto.Properties = WireProperties(dto.Type).Select(p => Describe(dto, p)).ToList();
        }
    }

    /// <summary>Gets the APIs, by name.</summary>
    public IReadOnlyDictionary<string, ConductorApiDescriptor> Apis => _apis;

    /// <summary>Gets every DTO and enum the APIs carry, by type.</summary>
    public IReadOnlyDictionary<Type, DtoDescriptor> Dtos => _dtos;

    /// <summary>Describes the DTOs of a set of APIs, checking the version rules of every property.</summary>
    /// <param name="apis">The APIs.</param>
    /// <returns>The contract.</returns>
    /// <exception cref="ArgumentException">A property's versions break a rule; the message names the property and the fix.</exception>
    public static WireContract Create(IEnumerable<ConductorApiDescriptor> apis)
    {
        ArgumentNullException.ThrowIfNull(apis);
        return new WireContract(apis);
    }

    /// <summary>Writes a set of settled versions as one stable text, for caches and logs (<c>instances=1.0;nodes=1.0</c>).</summary>
    /// <param name="versions">API name to version.</param>
    /// <returns>The text, in ordinal order of API name.</returns>
    public static string Key(IReadOnlyDictionary<string, ApiVersion> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        var text = new StringBuilder();
        foreach (KeyValuePair<string, ApiVersion> pair in versions.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(text.Length == 0 ? string.Empty : ";").Append(pair.Key).Append('=').Append(pair.Value.ToString());
        }

        return text.ToString();
    }

    /// <summary>
    /// Returns the serializer options of a connection that settled on <paramref name="versions"/>: the wire options
    /// with every DTO property newer than the connection left out, in both directions. Returns <see langword="null"/>
    /// when the connection knows every property (the default wire options apply). Cached per distinct set of versions:
    /// call it once per connection, never per call.
    /// </summary>
    /// <param name="versions">The connection's settled versions, API name to version.</param>
    /// <returns>The options (frozen), or <see langword="null"/>.</returns>
    public JsonSerializerOptions? GetBackportOptions(IReadOnlyDictionary<string, ApiVersion> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        return _backports.GetOrAdd(Key(versions), static (_, state) => state.Contract.BuildBackport(state.Versions), (Contract: this, Versions: versions));
    }

    /// <summary>Lists, per DTO, the properties a connection that settled on <paramref name="versions"/> does not know.</summary>
    /// <param name="versions">The connection's settled versions.</param>
    /// <returns>Type to the names of the properties left out; only types with at least one.</returns>
    public IReadOnlyDictionary<Type, IReadOnlySet<string>> UnknownProperties(IReadOnlyDictionary<string, ApiVersion> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        var unknown = new Dictionary<Type, IReadOnlySet<string>>();
        foreach (DtoDescriptor dto in _dtos.Values)
        {
            HashSet<string>? names = null;
            foreach (DtoPropertyDescriptor property in dto.Properties)
            {
                foreach ((string api, ApiVersion since) in property.Since)
                {
                    if (versions.TryGetValue(api, out ApiVersion settled) && settled < since)
                    {
                        (names ??= new HashSet<string>(StringComparer.Ordinal)).Add(property.Property.Name);
                    }
                }
            }

            if (names is not null)
            {
                unknown[dto.Type] = names;
            }
        }

        return unknown;
    }

    internal static IEnumerable<PropertyInfo> WireProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.GetMethod is { IsPublic: true } && !p.IsDefined(typeof(JsonIgnoreAttribute)))
            .OrderBy(p => p.MetadataToken);

    private static bool IsFramework(Type type) =>
        type.IsPrimitive || type == typeof(string) || type == typeof(object)
        || type.Namespace is { } ns && (ns == "System" || ns.StartsWith("System.", StringComparison.Ordinal));

    private JsonSerializerOptions? BuildBackport(IReadOnlyDictionary<string, ApiVersion> versions)
    {
        IReadOnlyDictionary<Type, IReadOnlySet<string>> unknown = UnknownProperties(versions);
        if (unknown.Count == 0)
        {
            return null;
        }

        JsonSerializerOptions options = ConductorWire.CreateJsonSerializerOptions();
        options.TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { info => LeaveOut(info, unknown) } };
        options.MakeReadOnly();
        return options;
    }

    private static void LeaveOut(JsonTypeInfo info, IReadOnlyDictionary<Type, IReadOnlySet<string>> unknown)
    {
        if (info.Kind != JsonTypeInfoKind.Object || !unknown.TryGetValue(info.Type, out IReadOnlySet<string>? names))
        {
            return;
        }

        for (int i = info.Properties.Count - 1; i >= 0; i--)
        {
            if (info.Properties[i].AttributeProvider is MemberInfo member && names.Contains(member.Name))
            {
                info.Properties.RemoveAt(i);
            }
        }
    }

    private void Visit(Type type, string carrier)
    {
        while ((Nullable.GetUnderlyingType(type) ?? (type.IsArray ? type.GetElementType() : null)) is { } inner)
        {
            type = inner;
        }

        if (type.IsGenericParameter)
        {
            return;
        }

        if (IsFramework(type))
        {
            foreach (Type argument in type.IsGenericType ? type.GetGenericArguments() : [])
            {
                Visit(argument, carrier);
            }

            return;
        }

        if (!_dtos.TryGetValue(type, out DtoDescriptor? dto))
        {
            dto = new DtoDescriptor(type);
            _dtos[type] = dto;
        }

        if (!dto.CarrierSet.Add(carrier) || type.IsEnum)
        {
            return;
        }

        foreach (PropertyInfo property in WireProperties(type))
        {
            Visit(property.PropertyType, carrier);
        }
    }

    private DtoPropertyDescriptor Describe(DtoDescriptor dto, PropertyInfo property)
    {
        string where = $"{dto.Type.Name}.{property.Name}";
        var attributes = property.GetCustomAttributes<ConductorSinceAttribute>(inherit: false).ToList();
        List<ConductorSinceAttribute> plain = attributes.Where(a => a.Api is null).ToList();
        bool isRequired = property.IsDefined(typeof(RequiredMemberAttribute), inherit: false);
        if (plain.Count > 1 || attributes.GroupBy(a => a.Api).Any(g => g.Key is not null && g.Count() > 1))
        {
            throw new ArgumentException($"{where} has more than one [ConductorSince] for the same API. Give it one per API that carries {dto.Type.Name}.");
        }

        if (plain.Count == 1 && dto.CarrierSet.Count > 1)
        {
            throw new ArgumentException(
                $"{where} says [ConductorSince({plain[0].Version.Major}, {plain[0].Version.Minor})] but {dto.Type.Name} is carried by {string.Join(", ", dto.Carriers)}, whose versions are unrelated. " +
                "Name the API: one [ConductorSince(major, minor, Api = \"name\")] per carrying API.");
        }

        foreach (ConductorSinceAttribute attribute in attributes.Where(a => a.Api is not null && _apis.ContainsKey(a.Api) && !dto.CarrierSet.Contains(a.Api)))
        {
            throw new ArgumentException($"{where} names API {attribute.Api} in [ConductorSince], but that API does not carry {dto.Type.Name}. Remove it, or name one of {string.Join(", ", dto.Carriers)}.");
        }

        var since = new Dictionary<string, ApiVersion>(StringComparer.Ordinal);
        foreach (string carrier in dto.Carriers)
        {
            ConductorSinceAttribute? chosen = attributes.FirstOrDefault(a => a.Api == carrier) ?? plain.FirstOrDefault();
            if (chosen is null)
            {
                if (attributes.Count > 0)
                {
                    throw new ArgumentException($"{where} has [ConductorSince] for some APIs but not for {carrier}, which carries {dto.Type.Name} too. Add [ConductorSince(major, minor, Api = \"{carrier}\")].");
                }

                continue;
            }

            ApiVersion api = _apis[carrier].Version;
            if (chosen.Version.Major != api.Major || chosen.Version > api)
            {
                throw new ArgumentException(
                    $"{where} says it was added in {carrier} {chosen.Version}, but {carrier} is version {api}. A property cannot be newer than the API that carries it: bump [ConductorApi(\"{carrier}\", ...)] or correct the property's version.");
            }

            if (chosen.Version.Minor > 0 && isRequired)
            {
                throw new ArgumentException($"{where} was added in {carrier} {chosen.Version} but is required. Older peers never send it: make it optional (drop 'required' and give it a default).");
            }

            since[carrier] = chosen.Version;
        }

        return new DtoPropertyDescriptor(property, isRequired, since);
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{_apis.Count} API(s), {_dtos.Count} DTO(s)");
}
