using System.Runtime.CompilerServices;

namespace Conductor.Host.Tests.Rpc;

/// <summary>The conductor side of <see cref="IWireTestApi"/>. It reports what happened through <see cref="WireTestSignals"/>.</summary>
internal sealed class WireTestApi(WireTestSignals signals) : IWireTestApi
{
    public async IAsyncEnumerable<int> CountAsync(int count, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (int i = 1; i <= count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return i;
        }
    }

    public async Task<int> WaitAsync(CancellationToken cancellationToken)
    {
        signals.WaitStarted.TrySetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }
        finally
        {
            signals.WaitEnded.TrySetResult(cancellationToken.IsCancellationRequested);
        }
    }

    public Task CrashAsync(CancellationToken cancellationToken) =>
        throw new InvalidOperationException("Secret internal detail: the frobnicator at /srv/conductor/internal.cs:42 failed.");
}
