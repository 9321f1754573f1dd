using System.Threading.Channels;
using Conductor.Abstractions;
using Conductor.Abstractions.Compute;

namespace Compute.Host.Tests.Fakes;

/// <summary>An in-memory <see cref="IComputeNodeRepository"/> that signals every report.</summary>
internal sealed class FakeComputeNodeRepository(TimeProvider timeProvider) : IComputeNodeRepository
{
    private ComputeNode? _node;

    public Channel<ComputeNodeReport> Reports { get; } = Channel.CreateUnbounded<ComputeNodeReport>();

    public Task<ComputeNode> ReportAsync(ComputeNodeReport report, CancellationToken cancellationToken)
    {
        _node = new ComputeNode
        {
            Host = "compute-1",
            VcpusTotal = report.VcpusTotal,
            MemoryMbTotal = report.MemoryMbTotal,
            DiskGbTotal = report.DiskGbTotal,
            VcpusUsed = report.VcpusUsed,
            MemoryMbUsed = report.MemoryMbUsed,
            DiskGbUsed = report.DiskGbUsed,
            HypervisorType = report.HypervisorType,
            UpdatedAtUtc = timeProvider.GetUtcNow().UtcDateTime,
        };
        Reports.Writer.TryWrite(report);
        return Task.FromResult(_node);
    }

    public Task<ComputeNode> GetAsync(CancellationToken cancellationToken) =>
        _node is null ? Task.FromException<ComputeNode>(new NotFoundException("This host has not reported.")) : Task.FromResult(_node);
}
