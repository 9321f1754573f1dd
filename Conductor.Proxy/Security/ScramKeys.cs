namespace Conductor.Proxy.Security;

/// <summary>The keys SCRAM derives from a secret.</summary>
/// <param name="ClientKey">The client key: only the holder of the secret knows it.</param>
/// <param name="StoredKey">The hash of the client key, which the conductor keeps.</param>
/// <param name="ServerKey">The key the conductor proves itself with.</param>
#pragma warning disable CA1819 // Keys are byte strings; the record is a short-lived carrier, not a data model.
public sealed record ScramKeys(byte[] ClientKey, byte[] StoredKey, byte[] ServerKey);
#pragma warning restore CA1819
