using Conductor.Abstractions;

namespace Conductor.Proxy.Tests;

[ConductorApi("echo", 1, 0)]
public interface IEchoApi
{
    Task<string> EchoAsync(string text, CancellationToken cancellationToken);

    Task FailAsync(int errorCode, string message, CancellationToken cancellationToken);

    Task<int> BlockAsync(CancellationToken cancellationToken);
}
