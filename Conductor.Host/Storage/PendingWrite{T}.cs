namespace Conductor.Host.Storage;

/// <summary>A write with an outcome of type <typeparamref name="T"/>, waiting for its batch.</summary>
/// <typeparam name="T">The outcome returned to the caller.</typeparam>
/// <param name="key">The request id, method and caller.</param>
/// <param name="apply">Reads, checks and writes inside the batch's transaction; throws a <see cref="Abstractions.ConductorException"/> to refuse.</param>
/// <param name="durability">When the write may be acknowledged.</param>
internal sealed class PendingWrite<T>(WriteKey key, Func<T> apply, WriteDurability durability) : PendingWrite
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T _outcome = default!;

    /// <summary>Gets the task that completes with the outcome once it is durable, or with the write's error.</summary>
    internal Task<T> Task => _completion.Task;

    /// <inheritdoc/>
    internal override bool IsWrite => true;

    /// <inheritdoc/>
    internal override bool WaitsForSync => durability == WriteDurability.Synced;

    /// <inheritdoc/>
    internal override bool IsCompleted => _completion.Task.IsCompleted;

    /// <inheritdoc/>
    internal override void Apply(LiteDbConductorDatabase database) => _outcome = database.ApplyOrReplay(key, apply);

    /// <inheritdoc/>
    internal override void Acknowledge() => _completion.TrySetResult(_outcome);

    /// <inheritdoc/>
    internal override void Fail(Exception error) => _completion.TrySetException(error);
}
