using Conductor.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compute.Host.Internal;

/// <summary>
/// Retries a conductor call while the conductor is unavailable, with doubling pauses. The caller builds its request
/// object once, outside the call delegate, so every retry of a write carries the same request id and the conductor
/// applies it at most once.
/// </summary>
internal sealed partial class ConductorRetry
{
    private readonly ComputeHostOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public ConductorRetry(IOptions<ComputeHostOptions> options, TimeProvider timeProvider, ILogger<ConductorRetry> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Gets the number of tries a lifecycle call gets (<see cref="ComputeHostOptions.ConductorRetryAttempts"/>).</summary>
    public int LifecycleAttempts => _options.ConductorRetryAttempts;

    /// <summary>Runs <paramref name="call"/>, retrying it on <see cref="ConductorUnavailableException"/>.</summary>
    /// <typeparam name="T">The call's result.</typeparam>
    /// <param name="operation">What the call does, for logs.</param>
    /// <param name="call">The call. It must reuse one request object across invocations.</param>
    /// <param name="maxAttempts">How many tries in all; <see cref="int.MaxValue"/> to retry until cancelled.</param>
    /// <param name="cancellationToken">Stops retrying.</param>
    /// <returns>The call's result.</returns>
    /// <exception cref="ConductorUnavailableException">The last try failed too.</exception>
    public async Task<T> InvokeAsync<T>(string operation, Func<CancellationToken, Task<T>> call, int maxAttempts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        TimeSpan delay = _options.RetryInitialDelay;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await call(cancellationToken);
            }
            catch (ConductorUnavailableException ex) when (attempt < maxAttempts && !cancellationToken.IsCancellationRequested)
            {
                LogRetrying(_logger, operation, attempt, delay, ex.Message);
            }

            await Task.Delay(delay, _timeProvider, cancellationToken);
            delay = delay * 2 < _options.RetryMaxDelay ? delay * 2 : _options.RetryMaxDelay;
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "The conductor did not answer '{Operation}' (try {Attempt}); retrying the same request in {Delay}. {Reason}")]
    private static partial void LogRetrying(ILogger logger, string operation, int attempt, TimeSpan delay, string reason);
}
