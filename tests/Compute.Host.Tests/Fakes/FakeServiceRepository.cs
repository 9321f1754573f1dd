using System.Collections.Concurrent;
using System.Threading.Channels;
using Conductor.Abstractions;
using Conductor.Abstractions.Compute;

namespace Compute.Host.Tests.Fakes;

/// <summary>An in-memory <see cref="IServiceRepository"/> that can fail registrations and signals every call.</summary>
internal sealed class FakeServiceRepository(TimeProvider timeProvider) : IServiceRepository
{
    private readonly ConcurrentQueue<Exception> _registerFailures = new();
    private readonly ConcurrentQueue<ServiceRegistration> _registrations = new();
    private ServiceRecord? _record;

    /// <summary>Gets the calls as they happen: <c>register</c> (including failed tries) and <c>heartbeat</c>.</summary>
    public Channel<string> Calls { get; } = Channel.CreateUnbounded<string>();

    /// <summary>Gets every registration request received, failed tries included.</summary>
    public IReadOnlyList<ServiceRegistration> Registrations => [.. _registrations];

    public int Heartbeats { get; private set; }

    public void FailNextRegistration(Exception error) => _registerFailures.Enqueue(error);

    /// <summary>Drops the service record, as a conductor restored from an old backup would.</summary>
    public void Forget() => _record = null;

    public Task<ServiceRecord> RegisterAsync(ServiceRegistration registration, CancellationToken cancellationToken)
    {
        _registrations.Enqueue(registration);
        Calls.Writer.TryWrite("register");
        if (_registerFailures.TryDequeue(out Exception? error))
        {
            return Task.FromException<ServiceRecord>(error);
        }

        DateTime now = timeProvider.GetUtcNow().UtcDateTime;
        _record = new ServiceRecord
        {
            Host = "compute-1",
            Binary = registration.Binary,
            Version = registration.Version,
            Disabled = registration.Disabled,
            CreatedAtUtc = _record?.CreatedAtUtc ?? now,
            LastHeartbeatAtUtc = now,
        };
        return Task.FromResult(_record);
    }

    public Task<ServiceRecord> HeartbeatAsync(CancellationToken cancellationToken)
    {
        if (_record is null)
        {
            return Task.FromException<ServiceRecord>(new NotFoundException("This host has not registered."));
        }

        Heartbeats++;
        _record = _record with { LastHeartbeatAtUtc = timeProvider.GetUtcNow().UtcDateTime };
        Calls.Writer.TryWrite("heartbeat");
        return Task.FromResult(_record);
    }

    public Task<ServiceRecord> GetAsync(CancellationToken cancellationToken) =>
        _record is null ? Task.FromException<ServiceRecord>(new NotFoundException("This host has not registered.")) : Task.FromResult(_record);
}
