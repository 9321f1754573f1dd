using System.Reflection;

namespace Conductor.Abstractions.Versioning;

/// <summary>One property of a DTO with the version that added it, per API that carries the DTO.</summary>
public sealed class DtoPropertyDescriptor
{
    internal DtoPropertyDescriptor(PropertyInfo property, bool isRequired, IReadOnlyDictionary<string, ApiVersion> since)
    {
        Property = property;
        IsRequired = isRequired;
        Since = since;
    }

    /// <summary>Gets the property.</summary>
    public PropertyInfo Property { get; }

    /// <summary>Gets whether the property is <see langword="required"/>.</summary>
    public bool IsRequired { get; }

    /// <summary>
    /// Gets, per carrying API, the version that added the property. Carriers it is missing from have had the property
    /// since their <c>major.0</c>.
    /// </summary>
    public IReadOnlyDictionary<string, ApiVersion> Since { get; }
}
