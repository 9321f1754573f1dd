namespace Conductor.Host.Tests.CustomApi;

/// <summary>One stock line, as the inventory API returns it.</summary>
public sealed record InventoryItem
{
    public required string Sku { get; init; }

    public required int Available { get; init; }

    /// <summary>Gets the host that asked, as the conductor saw it on the connection.</summary>
    public required string AskedBy { get; init; }
}
