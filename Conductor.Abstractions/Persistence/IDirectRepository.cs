namespace Conductor.Abstractions.Persistence;

/// <summary>
/// Marks a class that reads or writes the conductor's database directly. A compute process refuses to start
/// when any service registration's implementation is marked so, or takes an <see cref="IConductorDatabase"/> in
/// its constructor.
/// </summary>
/// <remarks>Test fakes and proxies do not implement this interface, so they pass the check.</remarks>
public interface IDirectRepository
{
}
