namespace Compute.Host.Tests;

/// <summary>The bound on every wait for a signal: long enough never to fire on a slow machine, short enough to fail a hung test.</summary>
internal static class TestTimeout
{
    public static CancellationToken Token => new CancellationTokenSource(TimeSpan.FromSeconds(15)).Token;
}
