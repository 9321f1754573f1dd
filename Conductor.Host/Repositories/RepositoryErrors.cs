using Conductor.Abstractions;
using Conductor.Abstractions.Compute;

namespace Conductor.Host.Repositories;

/// <summary>The exceptions repositories raise, worded once so that equal situations read the same.</summary>
internal static class RepositoryErrors
{
    /// <summary>
    /// An instance that does not exist, or that belongs to another host. The message must not differ between the
    /// two, or a host could probe for other hosts' instances.
    /// </summary>
    /// <param name="instanceId">The id asked for.</param>
    /// <returns>The exception.</returns>
    public static NotFoundException InstanceNotFound(Guid instanceId) =>
        new($"Instance {instanceId} was not found. Check the id, or list the instances to find it.");

    /// <summary>An instance action that does not exist or belongs to another host.</summary>
    /// <param name="actionId">The id asked for.</param>
    /// <returns>The exception.</returns>
    public static NotFoundException ActionNotFound(Guid actionId) =>
        new($"Instance action {actionId} was not found. Finish an action with the id StartAsync returned for it.");

    /// <summary>A lost compare-and-swap.</summary>
    /// <param name="instanceId">The instance.</param>
    /// <param name="actual">Its task state.</param>
    /// <param name="expected">The state the caller expected.</param>
    /// <returns>The exception.</returns>
    public static ConflictException TaskStateConflict(Guid instanceId, TaskState actual, TaskState expected) =>
        new($"Instance {instanceId} is in task state {actual}, not the expected {expected}: another change got there first. Read the instance again and decide whether the change still applies.");

    /// <summary>A request without its body.</summary>
    /// <param name="what">What was missing.</param>
    /// <returns>The exception.</returns>
    public static InvalidRequestException Missing(string what) =>
        new($"The request has no {what}. Send one.");
}
