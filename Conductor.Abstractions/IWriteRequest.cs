namespace Conductor.Abstractions;

/// <summary>
/// A write's argument. Its <see cref="RequestId"/> is fresh for every new request object and the same for every
/// retry of one, so the conductor recognises a retried write and never applies it twice.
/// </summary>
public interface IWriteRequest
{
    /// <summary>
    /// Gets the identifier that makes retries of this request recognisable. New objects get a new one, time-ordered
    /// (<see cref="Guid.CreateVersion7()"/>) so that the conductor's request ledger appends instead of inserting at a
    /// random place; any unique id works.
    /// </summary>
    Guid RequestId { get; }
}
