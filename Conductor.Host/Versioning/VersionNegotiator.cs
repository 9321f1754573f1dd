using Conductor.Abstractions;
using Conductor.Abstractions.Versioning;
using Conductor.Abstractions.Wire;
using Conductor.Host.Rpc;
using StreamJsonRpc;

namespace Conductor.Host.Versioning;

/// <summary>
/// Settles the version of each API when a connection opens, once per connection: the same major on both sides, the
/// lower of the two minors, never below the oldest version the conductor accepts and never above the version it
/// serves (its release's, or the operator's pin). Everything a connection needs afterwards (the members to expose,
/// the backport of its DTOs) is precomputed per version and shared between connections.
/// </summary>
internal sealed class VersionNegotiator
{
    private readonly IReadOnlyList<ServedApi> _apis;
    private readonly Dictionary<string, ApiVersion> _served = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (ApiVersion Version, string Source)> _minimums = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="VersionNegotiator"/> class, checking the operator's pins and minimums.</summary>
    /// <param name="apis">The served APIs.</param>
    /// <param name="options">The conductor's options (<see cref="ConductorOptions.ApiVersionPins"/>, <see cref="ConductorOptions.ApiMinimumVersions"/>).</param>
    /// <exception cref="InvalidOperationException">A pin or minimum is malformed, names an API the conductor does not serve, or lies outside what it speaks.</exception>
    public VersionNegotiator(IReadOnlyList<ServedApi> apis, ConductorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _apis = apis;
        Dictionary<string, ConductorApiDescriptor> byName = apis.ToDictionary(a => a.Descriptor.Name, a => a.Descriptor, StringComparer.Ordinal);
        foreach (ConductorApiDescriptor api in byName.Values)
        {
            _served[api.Name] = api.Version;
            _minimums[api.Name] = (api.MinimumVersion, "this conductor release's minimum");
        }

        foreach ((string name, string text) in options.ApiVersionPins)
        {
            ConductorApiDescriptor api = Setting("ApiVersionPins", name, text, byName, out ApiVersion pin);
            if (pin.Major != api.Version.Major || pin > api.Version || pin < api.MinimumVersion)
            {
                throw new InvalidOperationException(
                    $"Conductor:ApiVersionPins:{name} = {text} is outside what this conductor speaks ({name} {api.MinimumVersion} to {api.Version}). Pin it to a version in that range, or remove the pin.");
            }

            _served[name] = pin;
        }

        foreach ((string name, string text) in options.ApiMinimumVersions)
        {
            ConductorApiDescriptor api = Setting("ApiMinimumVersions", name, text, byName, out ApiVersion minimum);
            if (minimum.Major != api.Version.Major || minimum < api.MinimumVersion || minimum > _served[name])
            {
                throw new InvalidOperationException(
                    $"Conductor:ApiMinimumVersions:{name} = {text} is outside {name} {api.MinimumVersion} to {_served[name]}. It can only raise this release's minimum, up to the version served; correct or remove it.");
            }

            _minimums[name] = (minimum, $"raised by Conductor:ApiMinimumVersions:{name}");
        }

        try
        {
            Contract = WireContract.Create(byName.Values);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException("A served API breaks a versioning rule: " + ex.Message, ex);
        }
    }

    /// <summary>Gets the wire contract of the served APIs.</summary>
    public WireContract Contract { get; }

    /// <summary>Returns the version the conductor serves an API at (its release's version, or the operator's pin).</summary>
    /// <param name="api">The API name.</param>
    /// <returns>The version.</returns>
    public ApiVersion ServedVersion(string api) => _served[api];

    /// <summary>Settles the versions of a connection.</summary>
    /// <param name="request">The validated handshake.</param>
    /// <returns>What the connection may use and how.</returns>
    /// <exception cref="VersionNotSupportedException">A major version differs, or the client is older than the conductor accepts.</exception>
    public Negotiation Negotiate(HandshakeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var announced = new Dictionary<string, ApiVersion>(StringComparer.Ordinal);
        var settled = new Dictionary<string, ApiVersion>(StringComparer.Ordinal);
        var exposed = new List<(ServedApi, RpcTargetMetadata)>();
        string who = request.Role == ConductorRole.Admin ? "admin client" : "compute host";
        foreach (ServedApi api in _apis)
        {
            string name = api.Descriptor.Name;
            if (api.Descriptor.Audience != request.Role || !request.Apis.TryGetValue(name, out string? text))
            {
                continue;
            }

            ApiVersion client = ApiVersion.Parse(text);
            ApiVersion served = _served[name];
            if (client.Major != served.Major)
            {
                string fix = client.Major < served.Major
                    ? $"This {who} is too old for this conductor: upgrade it to a release that speaks {name} {served.Major}.x."
                    : "The conductor is older than this client: upgrade the conductor first.";
                throw new VersionNotSupportedException(
                    $"The {who} speaks {name} {client} but the conductor serves {name} {served}; different major versions cannot talk. {fix}");
            }

            (ApiVersion minimum, string source) = _minimums[name];
            if (client < minimum)
            {
                throw new VersionNotSupportedException(
                    $"The {who} speaks {name} {client}, older than the oldest version this conductor accepts ({name} {minimum}, {source}). " +
                    $"Upgrade the {who} to a release that speaks {name} {minimum} or newer.");
            }

            ApiVersion version = client < served ? client : served;
            announced[name] = client;
            settled[name] = version;
            exposed.Add((api, api.MetadataFor(version)));
        }

        return new Negotiation(announced, settled, exposed, Contract.GetBackportOptions(settled));
    }

    private static ConductorApiDescriptor Setting(string setting, string name, string text, Dictionary<string, ConductorApiDescriptor> byName, out ApiVersion version)
    {
        if (!byName.TryGetValue(name, out ConductorApiDescriptor? api))
        {
            throw new InvalidOperationException(
                $"Conductor:{setting} names API '{name}', which this conductor does not serve. Served APIs: {string.Join(", ", byName.Keys.Order(StringComparer.Ordinal))}.");
        }

        if (!ApiVersion.TryParse(text, out version))
        {
            throw new InvalidOperationException($"Conductor:{setting}:{name} = '{text}' is not a version. Write it as major.minor, for example \"1.0\".");
        }

        return api;
    }
}
