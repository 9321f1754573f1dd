using Conductor.Abstractions;
using Conductor.Abstractions.Compute;
using Conductor.Abstractions.Persistence;
using Conductor.Host.Storage;
using Conductor.Host.Storage.Documents;

namespace Conductor.Host.Repositories;

/// <summary>The calling host's compute node record, read and written directly in the database.</summary>
internal sealed class ComputeNodeRepository : IComputeNodeRepository, IDirectRepository
{
    private readonly LiteDbConductorDatabase _db;
    private readonly ICallerContext _caller;
    private readonly TimeProvider _time;

    /// <summary>Initializes a new instance of the <see cref="ComputeNodeRepository"/> class.</summary>
    /// <param name="db">The database.</param>
    /// <param name="caller">The connection's caller.</param>
    /// <param name="time">The conductor's clock.</param>
    public ComputeNodeRepository(LiteDbConductorDatabase db, ICallerContext caller, TimeProvider time)
    {
        _db = db;
        _caller = caller;
        _time = time;
    }

    /// <inheritdoc/>
    public async Task<ComputeNode> ReportAsync(ComputeNodeReport report, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Validate(report);
        string host = CallerHosts.Of(_caller);
        return await _db.WriteAsync(WriteKey.For(report, "nodes.Report", _caller), () =>
        {
            // A new record per attempt: the write may be applied twice (after a batch's rollback), and the scheduler
            // keeps the record it stored.
            var doc = new ComputeNodeDocument
            {
                Id = host,
                VcpusTotal = report.VcpusTotal,
                MemoryMbTotal = report.MemoryMbTotal,
                DiskGbTotal = report.DiskGbTotal,
                VcpusUsed = report.VcpusUsed,
                MemoryMbUsed = report.MemoryMbUsed,
                DiskGbUsed = report.DiskGbUsed,
                HypervisorType = report.HypervisorType,
                UpdatedAtUtc = StorageClock.Now(_time),
            };
            _db.ComputeNodes.Upsert(doc);
            _db.SchedulingHosts.Stored(doc);
            return doc.ToNode();
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task<ComputeNode> GetAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string host = CallerHosts.Of(_caller);
        ComputeNodeDocument doc = _db.ComputeNodes.FindById(host)
            ?? throw new NotFoundException($"Host '{host}' has not reported its compute node yet. Report it before reading it.");
        return Task.FromResult(doc.ToNode());
    }

    private static void Validate(ComputeNodeReport report)
    {
        if (report is null)
        {
            throw RepositoryErrors.Missing("compute node report");
        }

        if (report.VcpusTotal < 0 || report.MemoryMbTotal < 0 || report.DiskGbTotal < 0
            || report.VcpusUsed < 0 || report.MemoryMbUsed < 0 || report.DiskGbUsed < 0)
        {
            throw new InvalidRequestException("The compute node report has a negative capacity or usage. Report totals and usage as zero or more.");
        }

        if (string.IsNullOrWhiteSpace(report.HypervisorType))
        {
            throw new InvalidRequestException("The compute node report has no hypervisor type. Report one, for example \"kvm\".");
        }
    }
}
