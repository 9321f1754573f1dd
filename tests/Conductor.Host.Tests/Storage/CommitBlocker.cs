using Conductor.Host.Storage;

namespace Conductor.Host.Tests.Storage;

/// <summary>A write whose apply blocks until released, so that the writes submitted meanwhile queue behind its batch.</summary>
internal sealed class CommitBlocker : IDisposable
{
    private readonly ManualResetEventSlim _release = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CommitBlocker(LiteDbConductorDatabase database, CancellationToken cancellationToken)
    {
        Completion = Task.Run(() => database.WriteAsync(
            WriteKey.Unrecorded("test.Block"),
            () =>
            {
                _started.TrySetResult();
                return _release.Wait(StorageFixture.Timeout, cancellationToken);
            },
            cancellationToken));
    }

    public Task Started => _started.Task;

    public Task Completion { get; }

    public void Release() => _release.Set();

    public void Dispose()
    {
        _release.Set();
        _release.Dispose();
    }
}
