namespace Conductor.Abstractions.Persistence;

/// <summary>
/// The database seam: the one thing every direct repository is built on. The conductor registers the real
/// database behind it; a compute process registers a guard in its place, so that any attempt to reach the
/// database there fails with <see cref="DatabaseAccessNotAllowedException"/>.
/// </summary>
public interface IConductorDatabase
{
    /// <summary>Gets a human-readable description of where the data lives, for logs and error messages.</summary>
    string Location { get; }

    /// <summary>
    /// Completes once every write committed before this call is on stable storage. A write must not be
    /// acknowledged to a caller before this completes. Concurrent callers may share one sync (group commit).
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait (not the sync).</param>
    /// <returns>A task that completes when the writes are durable.</returns>
    /// <exception cref="StorageFailureException">The sync failed; the writes must be reported as not stored.</exception>
    Task WaitForDurableAsync(CancellationToken cancellationToken);
}
