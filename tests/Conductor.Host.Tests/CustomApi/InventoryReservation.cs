using Conductor.Abstractions;

namespace Conductor.Host.Tests.CustomApi;

/// <summary>A write of the inventory API.</summary>
public sealed record InventoryReservation : IWriteRequest
{
    public required string Sku { get; init; }

    public required int Count { get; init; }

    public Guid RequestId { get; init; } = Guid.NewGuid();
}
