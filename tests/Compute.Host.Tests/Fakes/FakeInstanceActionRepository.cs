using Conductor.Abstractions;
using Conductor.Abstractions.Compute;

namespace Compute.Host.Tests.Fakes;

/// <summary>An in-memory <see cref="IInstanceActionRepository"/>: starts are idempotent by request id, a finish with a different result conflicts.</summary>
internal sealed class FakeInstanceActionRepository(FakeInstanceRepository instances, TimeProvider timeProvider) : IInstanceActionRepository
{
    private readonly Lock _gate = new();
    private readonly List<InstanceAction> _actions = [];

    public Task<InstanceAction> StartAsync(InstanceActionStart start, CancellationToken cancellationToken)
    {
        _ = instances.Snapshot(start.InstanceId);
        lock (_gate)
        {
            InstanceAction? existing = _actions.Find(a => a.Id == start.RequestId);
            if (existing is null)
            {
                existing = new InstanceAction
                {
                    Id = start.RequestId,
                    InstanceId = start.InstanceId,
                    Action = start.Action,
                    Host = "compute-1",
                    StartedAtUtc = timeProvider.GetUtcNow().UtcDateTime,
                };
                _actions.Add(existing);
            }

            return Task.FromResult(existing);
        }
    }

    public Task<InstanceAction> FinishAsync(InstanceActionFinish finish, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            int index = _actions.FindIndex(a => a.Id == finish.ActionId);
            if (index < 0)
            {
                return Task.FromException<InstanceAction>(new NotFoundException($"Action {finish.ActionId} was not found on this host."));
            }

            InstanceAction current = _actions[index];
            if (current.Result is { } result)
            {
                return result == finish.Result
                    ? Task.FromResult(current)
                    : Task.FromException<InstanceAction>(new ConflictException($"Action {finish.ActionId} already finished with {result}."));
            }

            InstanceAction finished = current with { Result = finish.Result, Message = finish.Message, FinishedAtUtc = timeProvider.GetUtcNow().UtcDateTime };
            _actions[index] = finished;
            return Task.FromResult(finished);
        }
    }

    public Task<IReadOnlyList<InstanceAction>> ListAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<InstanceAction>>([.. _actions.Where(a => a.InstanceId == instanceId)]);
        }
    }
}
