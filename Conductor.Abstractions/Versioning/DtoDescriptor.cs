namespace Conductor.Abstractions.Versioning;

/// <summary>A type that crosses the wire inside conductor API calls (a DTO or an enum), with the APIs that carry it.</summary>
public sealed class DtoDescriptor
{
    internal DtoDescriptor(Type type)
    {
        Type = type;
    }

    /// <summary>Gets the type.</summary>
    public Type Type { get; }

    /// <summary>Gets the names of the APIs whose members take or return the type, directly or inside another DTO, in ordinal order.</summary>
    public IReadOnlyList<string> Carriers => CarrierSet.Order(StringComparer.Ordinal).ToList();

    /// <summary>Gets the public instance properties in declaration order (empty for an enum).</summary>
    public IReadOnlyList<DtoPropertyDescriptor> Properties { get; internal set; } = [];

    internal HashSet<string> CarrierSet { get; } = new(StringComparer.Ordinal);
}
