using Conductor.Abstractions.Admin;
using Conductor.Abstractions.Compute;
using Conductor.Abstractions.Persistence;
using Conductor.Host.Storage;
using Microsoft.Extensions.Options;

namespace Conductor.Host.Repositories;

/// <summary>Operators' view of every compute service, read directly from the database.</summary>
internal sealed class ServiceAdminRepository : IServiceAdminRepository, IDirectRepository
{
    private readonly LiteDbConductorDatabase _db;
    private readonly TimeProvider _time;
    private readonly ConductorOptions _options;

    /// <summary>Initializes a new instance of the <see cref="ServiceAdminRepository"/> class.</summary>
    /// <param name="db">The database.</param>
    /// <param name="time">The conductor's clock.</param>
    /// <param name="options">The options; <see cref="ConductorOptions.ServiceDownAfter"/> is used.</param>
    public ServiceAdminRepository(LiteDbConductorDatabase db, TimeProvider time, IOptions<ConductorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _db = db;
        _time = time;
        _options = options.Value;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ServiceStatus>> ListAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        DateTime now = StorageClock.Now(_time);
        IReadOnlyList<ServiceStatus> statuses = _db.Services.FindAll()
            .OrderBy(s => s.Id, StringComparer.Ordinal)
            .Select(s => new ServiceStatus
            {
                Service = _db.Liveness.ToRecord(s),
                IsUp = now - _db.Liveness.LastHeartbeat(s) < _options.ServiceDownAfter,
                Node = _db.ComputeNodes.FindById(s.Id)?.ToNode(),
                InstanceCount = HostCapacity.CountLive(_db, s.Id),
            })
            .ToList();
        return Task.FromResult(statuses);
    }
}
