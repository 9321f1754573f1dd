using System.Diagnostics;
using System.Reflection;
using Conductor.Abstractions;
using Conductor.Abstractions.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Conductor.Proxy.Internal;

/// <summary>
/// Stands in for the database in a process that must not have it (Nova's <c>DBNotAllowed</c>): refuses every
/// attempt to resolve <see cref="IConductorDatabase"/>, and finds registrations that would reach the database.
/// </summary>
internal sealed partial class DatabaseAccessGuard(IServiceCollection services)
{
    public static string ProcessName { get; } = Path.GetFileNameWithoutExtension(Environment.ProcessPath) is { Length: > 0 } name && name != "dotnet"
        ? name
        : AppDomain.CurrentDomain.FriendlyName;

    public IConductorDatabase Refuse(IServiceProvider provider)
    {
        var exception = new DatabaseAccessNotAllowedException(
            $"{ProcessName} attempted direct database access (it asked for {nameof(IConductorDatabase)}), which is not allowed by policy: " +
            "this process reaches data only through the conductor. Depend on a conductor API interface (for example IInstanceRepository) " +
            "registered by services.AddConductorClient(), not on a direct repository or the database.");
        ILogger? logger = provider.GetService<ILoggerFactory>()?.CreateLogger("Conductor.Proxy.DatabaseAccessGuard");
        if (logger is not null)
        {
            LogRefused(logger, ProcessName, new StackTrace(1, fNeedFileInfo: true).ToString());
        }

        throw exception;
    }

    /// <summary>Lists the registrations that would reach the database, as "service -> implementation (why)".</summary>
    /// <returns>One line per offending registration.</returns>
    public IReadOnlyList<string> FindDirectRegistrations()
    {
        var offenders = new List<string>();
        foreach (ServiceDescriptor descriptor in services)
        {
            Type? implementation = descriptor.IsKeyedService
                ? descriptor.KeyedImplementationType ?? descriptor.KeyedImplementationInstance?.GetType()
                : descriptor.ImplementationType ?? descriptor.ImplementationInstance?.GetType();
            if (descriptor.ServiceType == typeof(IConductorDatabase) && implementation is not null)
            {
                offenders.Add($"{nameof(IConductorDatabase)} -> {implementation.FullName} (the database itself)");
            }
            else if (implementation is not null && Reason(implementation) is { } reason)
            {
                offenders.Add($"{descriptor.ServiceType.Name} -> {implementation.FullName} ({reason})");
            }
        }

        return offenders;
    }

    private static string? Reason(Type implementation)
    {
        if (typeof(IDirectRepository).IsAssignableFrom(implementation))
        {
            return $"marked {nameof(IDirectRepository)}";
        }

        foreach (ConstructorInfo constructor in implementation.GetConstructors())
        {
            if (constructor.GetParameters().Any(p => typeof(IConductorDatabase).IsAssignableFrom(p.ParameterType)))
            {
                return $"built on {nameof(IConductorDatabase)}";
            }
        }

        return null;
    }

    [LoggerMessage(1, LogLevel.Error, "{Process} attempted direct database access, which is not allowed by policy. Attempted at:\n{StackTrace}")]
    private static partial void LogRefused(ILogger logger, string process, string stackTrace);
}
