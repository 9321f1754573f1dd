using Conductor.Abstractions;
using Conductor.Abstractions.Wire;
using Microsoft.Extensions.Options;

namespace Conductor.Proxy.Internal;

/// <summary>
/// The APIs a client process registered, each with a slot number, the version it announces (its build's, or the
/// operator's pin) and the oldest version it can work with. Built once per process; the handshake's answer is checked
/// against it once per connection (<see cref="Settle"/>).
/// </summary>
internal sealed class ApiVersionTable
{
    private readonly Dictionary<Type, int> _slots = [];
    private readonly List<Entry> _entries = [];

    public ApiVersionTable(IEnumerable<RegisteredApi> apis, ConductorClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Role = options.Role;
        foreach (ConductorApiDescriptor api in apis.Select(a => a.Descriptor).DistinctBy(d => d.InterfaceType))
        {
            if (_entries.Any(e => e.Api.Name == api.Name))
            {
                throw new OptionsValidationException(ConductorClientOptions.SectionName, typeof(ConductorClientOptions), [
                    $"Two registered APIs share the name '{api.Name}' ({api.InterfaceType.FullName} and {_entries.First(e => e.Api.Name == api.Name).Api.InterfaceType.FullName}). Register one interface per API name."]);
            }

            ApiVersion announced = api.Version;
            bool pinned = false;
            if (options.ApiVersionPins.TryGetValue(api.Name, out string? text))
            {
                if (!ApiVersion.TryParse(text, out ApiVersion pin) || pin.Major != api.Version.Major || pin > api.Version || pin < api.MinimumVersion)
                {
                    throw new OptionsValidationException(ConductorClientOptions.SectionName, typeof(ConductorClientOptions), [
                        $"Conductor:ApiVersionPins:{api.Name} = '{text}' is not a version this process speaks ({api.Name} {api.MinimumVersion} to {api.Version}). Pin it to a version in that range, written major.minor, or remove the pin."]);
                }

                announced = pin;
                pinned = true;
            }

            _slots[api.InterfaceType] = _entries.Count;
            _entries.Add(new Entry(api, announced, pinned));
        }

        foreach (string name in options.ApiVersionPins.Keys.Where(n => _entries.All(e => e.Api.Name != n)))
        {
            throw new OptionsValidationException(ConductorClientOptions.SectionName, typeof(ConductorClientOptions), [
                $"Conductor:ApiVersionPins names API '{name}', which this process does not use. APIs it uses: {string.Join(", ", _entries.Select(e => e.Api.Name).Order(StringComparer.Ordinal))}."]);
        }

        Announcement = _entries.ToDictionary(e => e.Api.Name, e => e.Announced.ToString(), StringComparer.Ordinal);
    }

    /// <summary>Gets the role the process connects as.</summary>
    public ConductorRole Role { get; }

    /// <summary>Gets the handshake's <c>apis</c>: API name to the version announced.</summary>
    public IReadOnlyDictionary<string, string> Announcement { get; }

    /// <summary>Gets the number of slots.</summary>
    public int Count => _entries.Count;

    /// <summary>Returns the slot of a registered API.</summary>
    /// <param name="api">The API.</param>
    /// <returns>Its slot.</returns>
    public int SlotOf(ConductorApiDescriptor api) => _slots[api.InterfaceType];

    /// <summary>Returns a slot's API, the version announced and whether an operator pinned it.</summary>
    /// <param name="slot">The slot.</param>
    /// <returns>The entry.</returns>
    public Entry this[int slot] => _entries[slot];

    /// <summary>
    /// Checks the conductor's handshake answer and returns the settled version of each slot, or a default version
    /// (0.0) for an API the conductor does not serve to this client.
    /// </summary>
    /// <param name="response">The conductor's answer.</param>
    /// <param name="endpoint">The conductor's endpoint, for messages.</param>
    /// <returns>The settled versions, by slot.</returns>
    /// <exception cref="VersionNotSupportedException">The conductor settled a version this process cannot work with.</exception>
    public ApiVersion[] Settle(HandshakeResponse response, string endpoint)
    {
        ArgumentNullException.ThrowIfNull(response);
        string who = Role == ConductorRole.Admin ? "admin client" : "compute host";
        var settled = new ApiVersion[_entries.Count];
        for (int slot = 0; slot < _entries.Count; slot++)
        {
            (ConductorApiDescriptor api, ApiVersion announced, _) = _entries[slot];
            if (response.Apis is null || !response.Apis.TryGetValue(api.Name, out string? text))
            {
                continue;
            }

            if (!ApiVersion.TryParse(text, out ApiVersion version) || version.Major != announced.Major || version > announced)
            {
                throw new VersionNotSupportedException(
                    $"The conductor at {endpoint} settled {api.Name} on '{text}', which this {who} did not offer (it speaks {api.Name} {api.MinimumVersion} to {announced}). " +
                    "Different major versions cannot talk: upgrade the conductor first, then the compute hosts.");
            }

            if (version < api.MinimumVersion)
            {
                throw new VersionNotSupportedException(
                    $"The conductor at {endpoint} serves {api.Name} {version}, but this {who} needs at least {api.Name} {api.MinimumVersion} (it speaks {announced}). " +
                    "Upgrade the conductor first: conductors are upgraded before the compute hosts they serve.");
            }

            settled[slot] = version;
        }

        return settled;
    }

    /// <summary>One registered API.</summary>
    /// <param name="Api">The API.</param>
    /// <param name="Announced">The version announced.</param>
    /// <param name="Pinned">Whether the announced version comes from <see cref="ConductorClientOptions.ApiVersionPins"/>.</param>
    internal readonly record struct Entry(ConductorApiDescriptor Api, ApiVersion Announced, bool Pinned);
}
