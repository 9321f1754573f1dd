using Conductor.Abstractions;

namespace Conductor.Host.Tests.CustomApi;

/// <summary>A team's own conductor API, as a README reader would write one: not part of the built-in domain.</summary>
[ConductorApi("inventory", 1, 0)]
public interface IInventoryApi
{
    Task<InventoryItem> GetAsync(string sku, CancellationToken cancellationToken);

    Task<InventoryItem> ReserveAsync(InventoryReservation reservation, CancellationToken cancellationToken);

    IAsyncEnumerable<InventoryItem> ListAsync(CancellationToken cancellationToken);
}
