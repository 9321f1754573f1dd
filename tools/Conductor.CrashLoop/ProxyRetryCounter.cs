using Microsoft.Extensions.Logging;

namespace Conductor.CrashLoop;

/// <summary>
/// Counts the proxy's "sending it once more after reconnecting" events (the proxy's own retry of a call that was in
/// flight when the conductor died), so the report shows how many interrupted calls the proxy recovered by itself.
/// </summary>
internal sealed class ProxyRetryCounter : ILoggerProvider
{
    private const string ConnectionCategory = "Conductor.Proxy.Internal.ConductorConnection";
    private const int RetryingAfterLossEvent = 6;

    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public ILogger CreateLogger(string categoryName) =>
        string.Equals(categoryName, ConnectionCategory, StringComparison.Ordinal) ? new Counter(this) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Dispose()
    {
    }

    private sealed class Counter(ProxyRetryCounter owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == RetryingAfterLossEvent)
            {
                Interlocked.Increment(ref owner._count);
            }
        }
    }
}
