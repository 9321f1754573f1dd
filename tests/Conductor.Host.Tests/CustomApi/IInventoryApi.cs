using Conductor.Abstractions;

namespace Conductor.Host.Tests.CustomApi;

/// <summary>
/// A team's own conductor API, as a README reader would write one: not part of the built-in domain. Each member
/// declares who may call it; a member without a rule would be denied to everyone.
/// </summary>
[ConductorApi("inventory", 1, 0)]
public interface IInventoryApi
{
    [ConductorAccess(AccessRule.OwnHost)]
    Task<InventoryItem> GetAsync(string sku, CancellationToken cancellationToken);

    [ConductorAccess(AccessRule.OwnHost)]
    Task<InventoryItem> ReserveAsync(InventoryReservation reservation, CancellationToken cancellationToken);

    [ConductorAccess(AccessRule.OwnHost)]
    IAsyncEnumerable<InventoryItem> ListAsync(CancellationToken cancellationToken);
}
