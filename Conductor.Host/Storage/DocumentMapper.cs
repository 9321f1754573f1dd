using System.Reflection;
using Conductor.Host.Security;
using Conductor.Host.Storage.Documents;
using LiteDB;

namespace Conductor.Host.Storage;

/// <summary>
/// Builds the conductor's <see cref="BsonMapper"/> with the mapping of every stored type made up front, before the
/// database is shared between threads.
/// </summary>
/// <remarks>
/// <para>
/// LiteDB 5.0.21 maps a type the first time it meets it, and publishes the map before filling it in:
/// <c>BsonMapper.BuildAddEntityMapper</c> adds the new, empty <c>EntityMapper</c> to its type dictionary first (so that
/// a type that refers to itself terminates) and adds the members after, while <c>GetEntityMapper</c> looks the
/// dictionary up without a lock. A second thread that needs the same type at that moment gets the half-built map:
/// <c>GetCollection&lt;T&gt;</c> then finds no id member and falls back to <see cref="BsonAutoId.ObjectId"/>, and
/// serializing a document writes only the members added so far, without <c>_id</c>. On a fresh conductor this happened
/// when <c>services list</c> read the services for the first time while a compute host registered: the registration
/// was stored under a generated <see cref="ObjectId"/> instead of the host name (so the host's next heartbeat found
/// no registration), and reading it back failed with "Unable to cast object of type 'LiteDB.ObjectId' to type
/// 'System.String'". The dictionary itself is a plain <see cref="Dictionary{TKey, TValue}"/> written under a lock
/// and read without one, which is only safe once nothing writes to it any more.
/// </para>
/// <para>
/// Every type reachable from <see cref="DocumentTypes"/> (and every list and dictionary type on the way, which LiteDB
/// maps and constructs the same way) is therefore mapped here, on one thread, so that serving never adds to the
/// dictionary. A new stored type must be added to <see cref="DocumentTypes"/> (a test checks the
/// storage namespaces for types that are missing).
/// </para>
/// </remarks>
internal static class DocumentMapper
{
    /// <summary>Gets the types stored as collection documents. Types they contain are found from these.</summary>
    public static IReadOnlyList<Type> DocumentTypes { get; } =
    [
        typeof(ServiceDocument),
        typeof(ComputeNodeDocument),
        typeof(InstanceDocument),
        typeof(InstanceActionDocument),
        typeof(RequestLedgerDocument),
        typeof(CredentialDocument),
    ];

    /// <summary>
    /// Gets every type the mapper builds an object of when it reads a document: <see cref="DocumentTypes"/>, the types
    /// their properties hold, and the lists and dictionaries those are kept in.
    /// </summary>
    public static IReadOnlyList<Type> MappedTypes { get; } = FindMappedTypes(DocumentTypes);

    /// <summary>Creates the conductor's mapper, with every type in <see cref="MappedTypes"/> already mapped.</summary>
    /// <returns>The mapper; safe to share once returned.</returns>
    public static BsonMapper Create()
    {
        var mapper = new BsonMapper
        {
            EnumAsInteger = true,
            TrimWhitespace = false,
            EmptyStringToNull = false,
        };

        foreach (Type type in MappedTypes)
        {
            // Reading an empty value of the type builds its map and caches its constructor (LiteDB's Reflection cache is
            // process-wide and has the same unlocked read); reading is the only public way in.
            BsonValue empty = IsList(type) ? new BsonArray() : new BsonDocument();
            _ = mapper.Deserialize(type, empty);
        }

        return mapper;
    }

    private static List<Type> FindMappedTypes(IEnumerable<Type> roots)
    {
        var found = new List<Type>();
        var pending = new Queue<Type>(roots);
        while (pending.TryDequeue(out Type? type))
        {
            if (found.Contains(type))
            {
                continue;
            }

            found.Add(type);
            if (IsList(type) || GenericInterface(type, typeof(IDictionary<,>)) is not null)
            {
                foreach (Type argument in type.GetGenericArguments().Where(t => !IsScalar(t)))
                {
                    pending.Enqueue(argument);
                }

                continue;
            }

            foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                Type held = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                if (!IsScalar(held))
                {
                    pending.Enqueue(held.IsArray ? held.GetElementType()! : held);
                }
            }
        }

        return found;
    }

    private static bool IsScalar(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(DateTime)
            || type == typeof(DateTimeOffset) || type == typeof(TimeSpan) || type == typeof(Guid) || type == typeof(ObjectId)
            || type == typeof(byte[]) || typeof(BsonValue).IsAssignableFrom(type) || (type.IsArray && IsScalar(type.GetElementType()!));
    }

    private static bool IsList(Type type) =>
        type != typeof(string) && !type.IsArray && GenericInterface(type, typeof(IDictionary<,>)) is null && GenericInterface(type, typeof(IEnumerable<>)) is not null;

    private static Type? GenericInterface(Type type, Type definition) =>
        type.GetInterfaces().Append(type).FirstOrDefault(t => t.IsGenericType && t.GetGenericTypeDefinition() == definition);
}
