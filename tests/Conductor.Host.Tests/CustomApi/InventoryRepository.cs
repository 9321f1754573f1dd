using System.Runtime.CompilerServices;
using Conductor.Abstractions;

namespace Conductor.Host.Tests.CustomApi;

/// <summary>
/// The conductor-side implementation of <see cref="IInventoryApi"/>: resolved once per connection, so it can take the
/// caller's identity from <see cref="ICallerContext"/>.
/// </summary>
public sealed class InventoryRepository(InventoryStock stock, ICallerContext caller) : IInventoryApi
{
    public Task<InventoryItem> GetAsync(string sku, CancellationToken cancellationToken) =>
        Task.FromResult(Item(sku, stock.Lines.TryGetValue(sku, out int available)
            ? available
            : throw new NotFoundException($"There is no stock line '{sku}'. Check the SKU.")));

    public Task<InventoryItem> ReserveAsync(InventoryReservation reservation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        if (reservation.Count <= 0)
        {
            throw new InvalidRequestException("A reservation must be for at least one unit. Send a positive count.");
        }

        while (true)
        {
            if (!stock.Lines.TryGetValue(reservation.Sku, out int available))
            {
                throw new NotFoundException($"There is no stock line '{reservation.Sku}'. Check the SKU.");
            }

            if (available < reservation.Count)
            {
                throw new ConflictException($"Only {available} units of '{reservation.Sku}' are left. Reserve fewer.");
            }

            if (stock.Lines.TryUpdate(reservation.Sku, available - reservation.Count, available))
            {
                return Task.FromResult(Item(reservation.Sku, available - reservation.Count));
            }
        }
    }

    public async IAsyncEnumerable<InventoryItem> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (KeyValuePair<string, int> line in stock.Lines.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            await Task.Yield();
            yield return Item(line.Key, line.Value);
        }
    }

    private InventoryItem Item(string sku, int available) => new() { Sku = sku, Available = available, AskedBy = caller.HostName };
}
