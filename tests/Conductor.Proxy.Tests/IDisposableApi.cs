namespace Conductor.Proxy.Tests;

public interface IDisposableApi
{
    Task RunAsync(CancellationToken cancellationToken);
}
