using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Conductor.Proxy.Internal;

/// <summary>Reads and writes one contract type with the shared metadata <see cref="SharedContractMetadata"/> found for it.</summary>
/// <typeparam name="T">The contract type.</typeparam>
/// <param name="typeInfo">The shared options' metadata for <typeparamref name="T"/>.</param>
internal sealed class SharedContractConverter<T>(JsonTypeInfo typeInfo) : JsonConverter<T>
{
    private readonly JsonTypeInfo<T> _typeInfo = (JsonTypeInfo<T>)typeInfo;

    /// <inheritdoc/>
    public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize(ref reader, _typeInfo);

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, _typeInfo);
}
