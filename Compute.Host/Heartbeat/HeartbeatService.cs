using Compute.Host.Hypervisor;
using Compute.Host.Internal;
using Conductor.Abstractions;
using Conductor.Abstractions.Compute;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compute.Host.Heartbeat;

/// <summary>
/// Registers this host's service record, then stamps a heartbeat and reports capacity and usage every
/// <see cref="ComputeHostOptions.HeartbeatInterval"/>. While the conductor is down it keeps retrying registration
/// and skips heartbeats; it never stops the worker for that.
/// </summary>
internal sealed partial class HeartbeatService : BackgroundService
{
    private readonly IServiceRepository _services;
    private readonly IComputeNodeRepository _nodes;
    private readonly IHypervisorDriver _driver;
    private readonly ConductorRetry _retry;
    private readonly ComputeHostOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public HeartbeatService(
        IServiceRepository services,
        IComputeNodeRepository nodes,
        IHypervisorDriver driver,
        ConductorRetry retry,
        IOptions<ComputeHostOptions> options,
        TimeProvider timeProvider,
        ILogger<HeartbeatService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _services = services;
        _nodes = nodes;
        _driver = driver;
        _retry = retry;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Builds the capacity and usage report from the instances the hypervisor runs now.</summary>
    /// <returns>A new report (with a new request id).</returns>
    internal ComputeNodeReport BuildReport()
    {
        IReadOnlyList<Instance> running = _driver.GetRunningInstances();
        return new ComputeNodeReport
        {
            VcpusTotal = _options.VcpusTotal,
            MemoryMbTotal = _options.MemoryMbTotal,
            DiskGbTotal = _options.DiskGbTotal,
            VcpusUsed = running.Sum(i => i.Flavor.Vcpus),
            MemoryMbUsed = running.Sum(i => i.Flavor.MemoryMb),
            DiskGbUsed = running.Sum(i => i.Flavor.DiskGb),
            HypervisorType = _options.HypervisorType,
        };
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RegisterAsync(stoppingToken);
            await ReportAsync(stoppingToken);
            using var timer = new PeriodicTimer(_options.HeartbeatInterval, _timeProvider);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await BeatAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    private async Task RegisterAsync(CancellationToken cancellationToken)
    {
        // One request object for every retry: the conductor recognises its request id and applies it once.
        var registration = new ServiceRegistration { Binary = _options.Binary, Version = _options.Version };
        ServiceRecord record = await _retry.InvokeAsync("register service", c => _services.RegisterAsync(registration, c), int.MaxValue, cancellationToken);
        LogRegistered(_logger, record.Host, record.Binary, record.Version);
    }

    private async Task BeatAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _services.HeartbeatAsync(cancellationToken);
        }
        catch (NotFoundException)
        {
            // The conductor lost the record (for example, it was restored from a backup): register again.
            LogReregistering(_logger);
            await RegisterAsync(cancellationToken);
        }
        catch (ConductorException ex)
        {
            LogHeartbeatMissed(_logger, ex.GetType().Name, ex.Message);
            return;
        }

        await ReportAsync(cancellationToken);
    }

    private async Task ReportAsync(CancellationToken cancellationToken)
    {
        ComputeNodeReport report = BuildReport();
        try
        {
            await _nodes.ReportAsync(report, cancellationToken);
            LogReported(_logger, report.VcpusUsed, report.VcpusTotal, report.MemoryMbUsed, report.MemoryMbTotal, report.DiskGbUsed, report.DiskGbTotal);
        }
        catch (ConductorException ex)
        {
            LogReportMissed(_logger, ex.GetType().Name, ex.Message);
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Registered service {Binary} {Version} for host {Host}.")]
    private static partial void LogRegistered(ILogger logger, string host, string binary, string version);

    [LoggerMessage(2, LogLevel.Warning, "The conductor has no service record for this host any more; registering again.")]
    private static partial void LogReregistering(ILogger logger);

    [LoggerMessage(3, LogLevel.Warning, "Heartbeat missed ({Error}); the next one is due in one heartbeat interval. {Reason}")]
    private static partial void LogHeartbeatMissed(ILogger logger, string error, string reason);

    [LoggerMessage(4, LogLevel.Warning, "Resource report missed ({Error}); the next one is due in one heartbeat interval. {Reason}")]
    private static partial void LogReportMissed(ILogger logger, string error, string reason);

    [LoggerMessage(5, LogLevel.Debug, "Reported usage: {VcpusUsed}/{VcpusTotal} vCPUs, {MemoryMbUsed}/{MemoryMbTotal} MB, {DiskGbUsed}/{DiskGbTotal} GB.")]
    private static partial void LogReported(ILogger logger, int vcpusUsed, int vcpusTotal, int memoryMbUsed, int memoryMbTotal, int diskGbUsed, int diskGbTotal);
}
