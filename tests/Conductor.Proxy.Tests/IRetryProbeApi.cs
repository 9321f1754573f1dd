using Conductor.Abstractions;

namespace Conductor.Proxy.Tests;

[ConductorApi("probe", 1, 0)]
public interface IRetryProbeApi
{
    [SafeToRetry]
    Task<int> ReadAsync(CancellationToken cancellationToken);

    Task<int> WriteAsync(ProbeWrite write, CancellationToken cancellationToken);

    Task<int> TouchAsync(CancellationToken cancellationToken);
}
