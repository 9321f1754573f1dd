namespace Conductor.Abstractions.Compute;

/// <summary>The calling compute host's capacity and usage. Host-scoped: the host comes from the connection.</summary>
[ConductorApi("nodes", 1, 0)]
public interface IComputeNodeRepository
{
    /// <summary>Stores the caller's capacity and usage.</summary>
    /// <param name="report">The report.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored record.</returns>
    Task<ComputeNode> ReportAsync(ComputeNodeReport report, CancellationToken cancellationToken);

    /// <summary>Reads the caller's compute node record.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The record.</returns>
    /// <exception cref="NotFoundException">The host has not reported.</exception>
    [SafeToRetry]
    Task<ComputeNode> GetAsync(CancellationToken cancellationToken);
}
