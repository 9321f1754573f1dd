using Conductor.Abstractions;

namespace Conductor.Host.Versioning;

/// <summary>
/// The API versions of one connection, set once by its handshake. Registered scoped, like the caller: repositories
/// use it to record what a host speaks and to keep fields an older client does not know.
/// </summary>
internal sealed class ConnectionVersions
{
    private static readonly IReadOnlyDictionary<string, ApiVersion> s_none = new Dictionary<string, ApiVersion>(StringComparer.Ordinal);
    private static readonly IReadOnlyDictionary<string, string> s_noText = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets the versions the client announced (what it was built with, or pinned to): API name to version.</summary>
    public IReadOnlyDictionary<string, ApiVersion> Announced { get; private set; } = s_none;

    /// <summary>Gets <see cref="Announced"/> as stored in a service record (API name to version text), made once per connection.</summary>
    public IReadOnlyDictionary<string, string> AnnouncedText { get; private set; } = s_noText;

    /// <summary>Gets the versions settled for the connection: API name to version.</summary>
    public IReadOnlyDictionary<string, ApiVersion> Settled { get; private set; } = s_none;

    /// <summary>Gets whether the handshake has set the versions.</summary>
    public bool IsSet { get; private set; }

    /// <summary>Returns whether the connection speaks <paramref name="api"/> at <paramref name="version"/> or newer.</summary>
    /// <param name="api">The API name.</param>
    /// <param name="version">The version that added what the caller wants to rely on.</param>
    /// <returns>Whether it does. A connection that did not settle the API does not.</returns>
    public bool Speaks(string api, ApiVersion version) =>
        Settled.TryGetValue(api, out ApiVersion settled) && settled.Major == version.Major && settled >= version;

    /// <summary>Sets the versions. Called once, by the handshake.</summary>
    /// <param name="announced">What the client announced.</param>
    /// <param name="settled">What was settled.</param>
    public void Set(IReadOnlyDictionary<string, ApiVersion> announced, IReadOnlyDictionary<string, ApiVersion> settled)
    {
        if (IsSet)
        {
            throw new InvalidOperationException("The versions of a connection are set once, by its handshake.");
        }

        ArgumentNullException.ThrowIfNull(announced);
        Announced = announced;
        AnnouncedText = announced.ToDictionary(v => v.Key, v => v.Value.ToString(), StringComparer.Ordinal);
        Settled = settled;
        IsSet = true;
    }
}
