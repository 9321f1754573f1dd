using System.Collections.Concurrent;
using Compute.Host.Hypervisor;
using Compute.Host.Internal;
using Conductor.Abstractions;
using Conductor.Abstractions.Compute;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compute.Host.Lifecycle;

/// <summary>
/// Drives this host's instances towards the state the conductor asks for: builds the ones scheduled here, finishes
/// builds a crash interrupted, and destroys the ones being deleted. It keeps no state of its own beyond the
/// operations in flight: each pass re-reads the instances, so a pass cut short is carried on by the next.
/// </summary>
internal sealed partial class InstanceManager
{
    /// <summary>The action name recorded for a build.</summary>
    public const string SpawnAction = "spawn";

    /// <summary>The action name recorded for a deletion.</summary>
    public const string DeleteAction = "delete";

    private readonly IInstanceRepository _instances;
    private readonly IInstanceActionRepository _actions;
    private readonly IHypervisorDriver _driver;
    private readonly ConductorRetry _retry;
    private readonly ComputeHostOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<Guid, byte> _inFlight = new();

    public InstanceManager(
        IInstanceRepository instances,
        IInstanceActionRepository actions,
        IHypervisorDriver driver,
        ConductorRetry retry,
        IOptions<ComputeHostOptions> options,
        TimeProvider timeProvider,
        ILogger<InstanceManager> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _instances = instances;
        _actions = actions;
        _driver = driver;
        _retry = retry;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Lists every instance of this host, page by page, and acts on each one that needs work.</summary>
    /// <param name="cancellationToken">Stops the pass; an interrupted build stays <see cref="TaskState.Spawning"/> and is resumed later.</param>
    /// <returns>The number of instances the pass acted on.</returns>
    /// <exception cref="ConductorUnavailableException">The conductor did not answer the listing.</exception>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        List<Instance> work = await ListWorkAsync(cancellationToken);
        if (work.Count == 0)
        {
            return 0;
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentOperations, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(work, parallel, async (instance, token) => await HandleAsync(instance, token));
        return work.Count;
    }

    private static bool NeedsWork(Instance instance) => instance.TaskState switch
    {
        TaskState.Deleting => true,
        TaskState.Spawning => true,
        TaskState.Scheduling => instance.VmState == VmState.Building,
        _ => false,
    };

    private async Task<List<Instance>> ListWorkAsync(CancellationToken cancellationToken)
    {
        var work = new List<Instance>();
        string? after = null;
        do
        {
            var request = new PageRequest { After = after, Limit = _options.PageSize };
            Page<Instance> page = await _retry.InvokeAsync("list instances", c => _instances.ListAsync(request, c), _retry.LifecycleAttempts, cancellationToken);
            work.AddRange(page.Items.Where(NeedsWork));
            if (page.NextPageToken is not null && page.NextPageToken == after)
            {
                throw new InvalidOperationException($"The conductor returned the page token '{after}' twice while listing instances; the listing was stopped so that it does not loop forever.");
            }

            after = page.NextPageToken;
        }
        while (after is not null);
        return work;
    }

    private async Task HandleAsync(Instance instance, CancellationToken cancellationToken)
    {
        if (!_inFlight.TryAdd(instance.Id, 0))
        {
            return;
        }

        try
        {
            switch (instance.TaskState)
            {
                case TaskState.Deleting:
                    await DeleteAsync(instance, cancellationToken);
                    break;
                case TaskState.Spawning:
                    await SpawnAsync(instance, resume: true, cancellationToken);
                    break;
                default:
                    await SpawnAsync(instance, resume: false, cancellationToken);
                    break;
            }
        }
        catch (ConductorException ex)
        {
            // The next pass re-reads the instance and carries on from the state the conductor holds.
            LogOperationFailed(_logger, instance.Id, instance.TaskState, ex.GetType().Name, ex.Message);
        }
        finally
        {
            _inFlight.TryRemove(instance.Id, out _);
        }
    }

    private Task<T> WriteAsync<T>(string operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        _retry.InvokeAsync(operation, call, _retry.LifecycleAttempts, cancellationToken);

    private async Task<Guid> StartOrResumeActionAsync(Guid instanceId, string action, bool resume, CancellationToken cancellationToken)
    {
        if (resume)
        {
            IReadOnlyList<InstanceAction> recorded = await _retry.InvokeAsync("list actions", c => _actions.ListAsync(instanceId, c), _retry.LifecycleAttempts, cancellationToken);
            InstanceAction? open = recorded.LastOrDefault(a => a.Action == action && a.Result is null);
            if (open is not null)
            {
                return open.Id;
            }
        }

        var start = new InstanceActionStart { InstanceId = instanceId, Action = action };
        InstanceAction started = await WriteAsync($"start {action} action", c => _actions.StartAsync(start, c), cancellationToken);
        return started.Id;
    }

    private async Task FinishActionAsync(Guid instanceId, Guid actionId, ActionResult result, string? message, CancellationToken cancellationToken)
    {
        var finish = new InstanceActionFinish { ActionId = actionId, Result = result, Message = message };
        try
        {
            await WriteAsync("finish action", c => _actions.FinishAsync(finish, c), cancellationToken);
        }
        catch (ConflictException ex)
        {
            LogActionAlreadyFinished(_logger, actionId, instanceId, ex.Message);
        }
    }
}
