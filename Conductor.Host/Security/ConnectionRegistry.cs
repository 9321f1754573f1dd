using System.Collections.Concurrent;
using Conductor.Host.Rpc;

namespace Conductor.Host.Security;

/// <summary>The live, authenticated connections of every identity, so that revoking a credential closes them at once.</summary>
internal sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<RpcSession, byte>> _byIdentity = new(StringComparer.Ordinal);

    public void Add(string identity, RpcSession session) =>
        _byIdentity.GetOrAdd(identity, _ => new ConcurrentDictionary<RpcSession, byte>()).TryAdd(session, 0);

    public void Remove(string identity, RpcSession session)
    {
        if (_byIdentity.TryGetValue(identity, out ConcurrentDictionary<RpcSession, byte>? sessions))
        {
            // The (small) empty set stays: removing it could race with an Add for the same identity.
            sessions.TryRemove(session, out _);
        }
    }

    public int Count(string identity) => _byIdentity.TryGetValue(identity, out ConcurrentDictionary<RpcSession, byte>? sessions) ? sessions.Count : 0;

    /// <summary>Closes every live connection of an identity.</summary>
    /// <param name="identity">The identity.</param>
    /// <returns>How many connections were closed.</returns>
    public int CloseAll(string identity)
    {
        if (!_byIdentity.TryGetValue(identity, out ConcurrentDictionary<RpcSession, byte>? sessions))
        {
            return 0;
        }

        int closed = 0;
        foreach (RpcSession session in sessions.Keys)
        {
            sessions.TryRemove(session, out _);
            session.Close();
            closed++;
        }

        return closed;
    }
}
