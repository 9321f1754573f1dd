namespace Conductor.Host.Rpc;

/// <summary>Registered once per API the conductor serves; the server exposes each to the connections of its audience.</summary>
/// <param name="ApiType">The contract interface.</param>
internal sealed record ServedApiRegistration(Type ApiType);
