using Conductor.Abstractions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compute.Host.Lifecycle;

/// <summary>Runs <see cref="InstanceManager.RunOnceAsync"/> at start and then every <see cref="ComputeHostOptions.PollInterval"/>.</summary>
internal sealed partial class InstanceLifecycleService : BackgroundService
{
    private readonly InstanceManager _manager;
    private readonly ComputeHostOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public InstanceLifecycleService(InstanceManager manager, IOptions<ComputeHostOptions> options, TimeProvider timeProvider, ILogger<InstanceLifecycleService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _manager = manager;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var timer = new PeriodicTimer(_options.PollInterval, _timeProvider);
            long lastReap = _timeProvider.GetTimestamp();
            do
            {
                try
                {
                    await _manager.RunOnceAsync(stoppingToken);
                    if (_timeProvider.GetElapsedTime(lastReap) >= _options.ReapInterval)
                    {
                        lastReap = _timeProvider.GetTimestamp();
                        await _manager.ReapOnceAsync(stoppingToken);
                    }
                }
                catch (ConductorException ex)
                {
                    // Expected while the conductor is down; the next poll tries again.
                    LogPassFailed(_logger, ex.GetType().Name, ex.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping; an interrupted build stays spawning and is resumed at the next start.
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Looking for instance work failed ({Error}); trying again at the next poll. {Reason}")]
    private static partial void LogPassFailed(ILogger logger, string error, string reason);
}
