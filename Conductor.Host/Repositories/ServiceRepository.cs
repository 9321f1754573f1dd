using Conductor.Abstractions;
using Conductor.Abstractions.Compute;
using Conductor.Abstractions.Persistence;
using Conductor.Host.Storage;
using Conductor.Host.Storage.Documents;
using Conductor.Host.Versioning;

namespace Conductor.Host.Repositories;

/// <summary>The calling host's service record, read and written directly in the database.</summary>
internal sealed class ServiceRepository : IServiceRepository, IDirectRepository
{
    private readonly LiteDbConductorDatabase _db;
    private readonly ICallerContext _caller;
    private readonly TimeProvider _time;
    private readonly ConnectionVersions? _versions;

    /// <summary>Initializes a new instance of the <see cref="ServiceRepository"/> class.</summary>
    /// <param name="db">The database.</param>
    /// <param name="caller">The connection's caller.</param>
    /// <param name="time">The conductor's clock.</param>
    /// <param name="versions">The connection's API versions, recorded in the service record; <see langword="null"/> records none.</param>
    public ServiceRepository(LiteDbConductorDatabase db, ICallerContext caller, TimeProvider time, ConnectionVersions? versions = null)
    {
        _db = db;
        _caller = caller;
        _time = time;
        _versions = versions;
    }

    /// <inheritdoc/>
    public async Task<ServiceRecord> RegisterAsync(ServiceRegistration registration, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (registration is null)
        {
            throw RepositoryErrors.Missing("registration");
        }

        if (string.IsNullOrWhiteSpace(registration.Binary) || string.IsNullOrWhiteSpace(registration.Version))
        {
            throw new InvalidRequestException("The registration has no binary or no version. Send the name and version of the program that runs the service.");
        }

        string host = CallerHosts.Of(_caller);
        return await _db.WriteAsync(WriteKey.For(registration, "services.Register", _caller), () =>
        {
            DateTime now = StorageClock.Now(_time);
            ServiceDocument doc = _db.Services.FindById(host) ?? new ServiceDocument { Id = host, CreatedAtUtc = now };
            doc.Binary = registration.Binary;
            doc.Version = registration.Version;
            doc.Disabled = registration.Disabled;
            doc.LastHeartbeatAtUtc = now;
            RecordVersions(doc);
            _db.Services.Upsert(doc);
            _db.SchedulingHosts.Stored(doc);
            return doc.ToRecord();
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<ServiceRecord> HeartbeatAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string host = CallerHosts.Of(_caller);
        DateTime now = StorageClock.Now(_time);
        ServiceDocument stored = _db.SchedulingHosts.TryGetService(host, out ServiceDocument? committed) ? committed : throw NotRegistered(host);
        _db.Liveness.Observe(host, now);
        if (now - stored.LastHeartbeatAtUtc < ServiceLiveness.PersistInterval && !VersionsChanged(stored) && !_db.IsReadOnly)
        {
            // Recent enough on disk: the beat lives in memory only (see ServiceLiveness). After a storage fault every
            // heartbeat takes the write path and is refused like any write, so hosts see the fault at once.
            return stored.ToRecord() with { LastHeartbeatAtUtc = now };
        }

        // A heartbeat carries no request id and needs none: applying it twice only stamps the time again. It is
        // answered once committed, without waiting for a sync: it is a liveness stamp that the host rewrites every
        // interval, so a power cut can cost at most the last one, and a fleet's heartbeats then cost no fsyncs.
        return await _db.WriteAsync(WriteKey.Unrecorded("services.Heartbeat"), () =>
        {
            // The scheduler's in-memory record, as this transaction sees it: the same document without a query.
            ServiceDocument doc = _db.SchedulingHosts.FindServiceForWrite(host) ?? throw NotRegistered(host);
            doc.LastHeartbeatAtUtc = now > doc.LastHeartbeatAtUtc ? now : doc.LastHeartbeatAtUtc;
            RecordVersions(doc);
            _db.Services.Update(doc);
            _db.SchedulingHosts.Stored(doc);
            return doc.ToRecord();
        }, cancellationToken, WriteDurability.Committed).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task<ServiceRecord> GetAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string host = CallerHosts.Of(_caller);
        ServiceDocument doc = _db.SchedulingHosts.TryGetService(host, out ServiceDocument? committed) ? committed : throw NotRegistered(host);
        return Task.FromResult(_db.Liveness.ToRecord(doc));
    }

    private bool VersionsChanged(ServiceDocument doc)
    {
        if (_versions is not { IsSet: true, Announced.Count: > 0 } versions)
        {
            return false;
        }

        IReadOnlyDictionary<string, string> announced = versions.AnnouncedText;
        if (doc.ApiVersions is not { } stored || stored.Count != announced.Count)
        {
            return true;
        }

        foreach (KeyValuePair<string, string> version in announced)
        {
            if (!stored.TryGetValue(version.Key, out string? text) || !string.Equals(text, version.Value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private void RecordVersions(ServiceDocument doc)
    {
        // What the host announced, not what was settled: a conductor pinned below the host must not make the host
        // look older than it is to the upgrade check.
        if (_versions is { IsSet: true, Announced.Count: > 0 } versions)
        {
            doc.ApiVersions = new Dictionary<string, string>(versions.AnnouncedText, StringComparer.Ordinal);
        }
    }

    private static NotFoundException NotRegistered(string host) =>
        new($"The service of host '{host}' has not registered. Register it before sending heartbeats or reading it.");
}
