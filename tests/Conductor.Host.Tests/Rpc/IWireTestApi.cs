using Conductor.Abstractions;

namespace Conductor.Host.Tests.Rpc;

/// <summary>
/// A team's own API, served next to the built-in ones, for the parts of the protocol the built-in APIs do not use:
/// a streamed result, a call that runs until cancelled, and a failure the conductor did not expect.
/// </summary>
[ConductorApi("wire-test", 1, 0)]
public interface IWireTestApi
{
    /// <summary>Streams the numbers 1 to <paramref name="count"/>.</summary>
    IAsyncEnumerable<int> CountAsync(int count, CancellationToken cancellationToken);

    /// <summary>Runs until cancelled.</summary>
    Task<int> WaitAsync(CancellationToken cancellationToken);

    /// <summary>Fails with an exception that is not a <see cref="ConductorException"/>.</summary>
    Task CrashAsync(CancellationToken cancellationToken);
}
