namespace Conductor.Host.Tests.Security;

/// <summary>The conductor's side of <see cref="IBlockingApi"/>.</summary>
internal sealed class BlockingRepository(BlockingGate gate) : IBlockingApi
{
    public Task<int> WaitAsync(CancellationToken cancellationToken) => gate.PassAsync();

    public Task<int> FailAsync(CancellationToken cancellationToken) =>
        throw new InvalidOperationException("secret internal detail: connection string Filename=/var/lib/conductor/conductor.db;Password=hunter2");
}
