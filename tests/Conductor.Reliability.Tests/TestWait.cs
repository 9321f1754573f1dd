namespace Conductor.Reliability.Tests;

/// <summary>Waits for a condition that another process or thread makes true, with a generous bound.</summary>
internal static class TestWait
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    public static async Task UntilAsync(Func<Task<bool>> condition, string what, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Bound);
        while (!await condition())
        {
            try
            {
                await Task.Delay(20, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new AssertFailedException($"Waited {Bound.TotalSeconds} s for {what}.");
            }
        }
    }

    public static Task UntilAsync(Func<bool> condition, string what, CancellationToken cancellationToken) =>
        UntilAsync(() => Task.FromResult(condition()), what, cancellationToken);
}
