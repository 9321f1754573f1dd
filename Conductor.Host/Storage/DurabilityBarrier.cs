namespace Conductor.Host.Storage;

/// <summary>Waits in <see cref="GroupCommit"/> for the next batch's sync, which covers every commit made before it joined.</summary>
internal sealed class DurabilityBarrier : PendingWrite
{
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Gets the task that completes once earlier commits are durable.</summary>
    internal Task Task => _completion.Task;

    /// <inheritdoc/>
    internal override bool IsWrite => false;

    /// <inheritdoc/>
    internal override bool WaitsForSync => true;

    /// <inheritdoc/>
    internal override bool IsCompleted => _completion.Task.IsCompleted;

    /// <inheritdoc/>
    internal override void Apply(LiteDbConductorDatabase database)
    {
        // Nothing to write: the batch's sync is all a barrier waits for.
    }

    /// <inheritdoc/>
    internal override void Acknowledge() => _completion.TrySetResult();

    /// <inheritdoc/>
    internal override void Fail(Exception error) => _completion.TrySetException(error);
}
