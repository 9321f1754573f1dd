using Conductor.Abstractions.Compute;
using Microsoft.Extensions.Logging;

namespace Compute.Host.Lifecycle;

/// <content>Log messages.</content>
internal sealed partial class InstanceManager
{
    [LoggerMessage(1, LogLevel.Information, "Building instance {InstanceId} ({Name}), action {ActionId}.")]
    private static partial void LogSpawning(ILogger logger, Guid instanceId, string name, Guid actionId);

    [LoggerMessage(2, LogLevel.Information, "Instance {InstanceId} ({Name}) is active.")]
    private static partial void LogSpawned(ILogger logger, Guid instanceId, string name);

    [LoggerMessage(3, LogLevel.Information, "Instance {InstanceId} was not claimed for building because another writer changed it first: {Reason}")]
    private static partial void LogClaimLost(ILogger logger, Guid instanceId, string reason);

    [LoggerMessage(4, LogLevel.Warning, "Resuming the build of instance {InstanceId}, which an earlier run left spawning.")]
    private static partial void LogResumingSpawn(ILogger logger, Guid instanceId);

    [LoggerMessage(5, LogLevel.Error, "The hypervisor failed to build instance {InstanceId}; marking it as error.")]
    private static partial void LogSpawnFailed(ILogger logger, Guid instanceId, Exception exception);

    [LoggerMessage(6, LogLevel.Warning, "Instance {InstanceId} changed while it was being built, so this host left it as the other writer set it: {Reason}")]
    private static partial void LogChangedDuringSpawn(ILogger logger, Guid instanceId, string reason);

    [LoggerMessage(7, LogLevel.Information, "Deleting instance {InstanceId} ({Name}), action {ActionId}.")]
    private static partial void LogDeleting(ILogger logger, Guid instanceId, string name, Guid actionId);

    [LoggerMessage(8, LogLevel.Information, "Instance {InstanceId} ({Name}) is deleted.")]
    private static partial void LogDeleted(ILogger logger, Guid instanceId, string name);

    [LoggerMessage(9, LogLevel.Error, "The hypervisor failed to destroy instance {InstanceId}; marking it as error.")]
    private static partial void LogDestroyFailed(ILogger logger, Guid instanceId, Exception exception);

    [LoggerMessage(10, LogLevel.Warning, "Instance {InstanceId} changed while it was being deleted, so this host left it as the other writer set it: {Reason}")]
    private static partial void LogChangedDuringDelete(ILogger logger, Guid instanceId, string reason);

    [LoggerMessage(11, LogLevel.Warning, "Work on instance {InstanceId} ({TaskState}) stopped with {Error}; the next pass will carry on from its state. {Reason}")]
    private static partial void LogOperationFailed(ILogger logger, Guid instanceId, TaskState taskState, string error, string reason);

    [LoggerMessage(12, LogLevel.Warning, "Action {ActionId} of instance {InstanceId} was already finished differently: {Reason}")]
    private static partial void LogActionAlreadyFinished(ILogger logger, Guid actionId, Guid instanceId, string reason);

    [LoggerMessage(13, LogLevel.Warning, "Destroyed instance {InstanceId}, which the hypervisor ran although the conductor has it {Why}.")]
    private static partial void LogReaped(ILogger logger, Guid instanceId, string why);

    [LoggerMessage(14, LogLevel.Debug, "Reading the running instances one by one: {Reason}")]
    private static partial void LogGetManyUnavailable(ILogger logger, string reason);
}
