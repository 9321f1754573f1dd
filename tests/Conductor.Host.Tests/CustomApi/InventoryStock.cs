using System.Collections.Concurrent;

namespace Conductor.Host.Tests.CustomApi;

/// <summary>The inventory's state, one per conductor.</summary>
public sealed class InventoryStock
{
    public ConcurrentDictionary<string, int> Lines { get; } = new(StringComparer.Ordinal);
}
