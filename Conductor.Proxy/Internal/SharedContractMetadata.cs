using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Conductor.Abstractions.Wire;

namespace Conductor.Proxy.Internal;

/// <summary>
/// Lets every connection serialize the contract types with the metadata of one frozen options instance per process,
/// instead of building its own. StreamJsonRpc's <c>SystemTextJsonFormatter</c> copies the options it is given and adds
/// converters bound to itself, so each connection has an options instance of its own, and System.Text.Json keeps its
/// metadata (a <see cref="JsonTypeInfo"/> and a <see cref="JsonPropertyInfo"/> per property of every type used) per
/// options instance: tens of kilobytes per connection, rebuilt on each connection's first calls. This factory claims
/// the types declared in <c>Conductor.Abstractions</c> (the contract's DTOs) and hands them to a converter that
/// serializes with the shared instance's metadata; a connection's own options then hold one property-less entry per
/// type. Types the formatter handles itself (exceptions, streams, interfaces such as <see cref="IAsyncEnumerable{T}"/>)
/// are left to it. The wire's JSON is unchanged: the shared instance is the connection's own options minus the
/// formatter's additions.
/// </summary>
internal sealed class SharedContractMetadata : JsonConverterFactory
{
    private static readonly ConditionalWeakTable<JsonSerializerOptions, JsonSerializerOptions> s_templates = [];

    private readonly JsonSerializerOptions _shared;
    private readonly ConcurrentDictionary<Type, JsonConverter> _converters = new();

    private SharedContractMetadata(JsonSerializerOptions shared) => _shared = shared;

    /// <summary>
    /// Returns the options to give a connection's formatter in place of <paramref name="shared"/>: a frozen copy that
    /// serializes the contract types with <paramref name="shared"/>'s metadata. Made once per <paramref name="shared"/>.
    /// </summary>
    /// <param name="shared">Frozen wire options (the default ones, or a backport's).</param>
    /// <returns>The options for connections.</returns>
    public static JsonSerializerOptions ForConnections(JsonSerializerOptions shared)
    {
        ArgumentNullException.ThrowIfNull(shared);
        if (!shared.IsReadOnly)
        {
            throw new ArgumentException("Only frozen options can be shared between connections: call MakeReadOnly first.", nameof(shared));
        }

        return s_templates.GetValue(shared, static s =>
        {
            var template = new JsonSerializerOptions(s);
            template.Converters.Insert(0, new SharedContractMetadata(s));
            template.MakeReadOnly();
            return template;
        });
    }

    /// <inheritdoc/>
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.Assembly == typeof(ConductorWire).Assembly
        && !typeToConvert.IsInterface
        && !typeof(Exception).IsAssignableFrom(typeToConvert)
        && !typeof(Stream).IsAssignableFrom(typeToConvert);

    /// <inheritdoc/>
    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        _converters.GetOrAdd(typeToConvert, static (type, shared) =>
            (JsonConverter)Activator.CreateInstance(typeof(SharedContractConverter<>).MakeGenericType(type), shared.GetTypeInfo(type))!, _shared);
}
