namespace Conductor.Abstractions;

/// <summary>
/// Says which version of a conductor API added a member or a DTO property. Members and properties without it are
/// as old as the API's major version (<c>major.0</c>).
/// </summary>
/// <remarks>
/// <para>
/// On a member of a <see cref="ConductorApiAttribute"/> interface the version is that API's: a connection that settled
/// on an older minor cannot call the member (the proxy refuses it with <see cref="VersionNotSupportedException"/>
/// before sending, and the conductor does not expose it to that connection).
/// </para>
/// <para>
/// On a DTO property the version is the API's that carries the DTO: the conductor leaves the property out of what it
/// sends to a connection that settled on an older minor (it backports the DTO). A DTO carried by more than one API
/// names the API with <see cref="Api"/>, once per carrying API. A property added after <c>major.0</c> must not be
/// <see langword="required"/>, because older peers never send it.
/// </para>
/// </remarks>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Property, AllowMultiple = true, Inherited = false)]
public sealed class ConductorSinceAttribute : Attribute
{
    private string? _api;

    /// <summary>Initializes a new instance of the <see cref="ConductorSinceAttribute"/> class.</summary>
    /// <param name="major">The major version of the API that added the member or property.</param>
    /// <param name="minor">The minor version of the API that added the member or property.</param>
    /// <exception cref="ArgumentOutOfRangeException">The major version is below 1 or the minor version is negative.</exception>
    public ConductorSinceAttribute(int major, int minor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(major, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(minor);
        Version = new ApiVersion(major, minor);
    }

    /// <summary>Gets the version that added the member or property.</summary>
    public ApiVersion Version { get; }

    /// <summary>
    /// Gets or sets the API whose version <see cref="Version"/> is, for a DTO property carried by more than one API.
    /// Leave it unset on members (they belong to their interface's API) and on DTOs that one API carries.
    /// </summary>
    /// <exception cref="ArgumentException">The value is not a valid API name.</exception>
    public string? Api
    {
        get => _api;
        set
        {
            if (value is not null && !ApiNames.IsValid(value))
            {
                throw new ArgumentException($"'{value}' is not a valid conductor API name. Use the name given in [ConductorApi(...)], for example \"instances\".", nameof(value));
            }

            _api = value;
        }
    }
}
