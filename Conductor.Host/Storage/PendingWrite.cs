namespace Conductor.Host.Storage;

/// <summary>
/// A request waiting in <see cref="GroupCommit"/>: a write to apply in the next batch's transaction, or a barrier that
/// only waits until everything committed before it is durable.
/// </summary>
/// <remarks>
/// The batch runner calls <see cref="Apply"/> (writes only), then either <see cref="Acknowledge"/> once the batch is
/// durable or <see cref="Fail"/>. After a rollback it may call <see cref="Apply"/> again, in a transaction of its own.
/// Completion runs continuations asynchronously, so that the batch's thread is never borrowed by a caller.
/// </remarks>
internal abstract class PendingWrite
{
    /// <summary>Gets whether this writes anything (a barrier does not).</summary>
    internal abstract bool IsWrite { get; }

    /// <summary>Gets whether this is acknowledged only after a sync (<see cref="WriteDurability.Synced"/>).</summary>
    internal abstract bool WaitsForSync { get; }

    /// <summary>Gets whether this has been completed, with an outcome or an error.</summary>
    internal abstract bool IsCompleted { get; }

    /// <summary>Applies the write, or replays its original outcome from the ledger, inside the open transaction.</summary>
    /// <param name="database">The database.</param>
    /// <exception cref="Abstractions.ConductorException">The write is refused; nothing of it may be committed.</exception>
    internal abstract void Apply(LiteDbConductorDatabase database);

    /// <summary>Hands the outcome to the caller: the write is committed, and durable if it <see cref="WaitsForSync"/>.</summary>
    internal abstract void Acknowledge();

    /// <summary>Hands an error to the caller.</summary>
    /// <param name="error">The error.</param>
    internal abstract void Fail(Exception error);
}
