namespace Conductor.Host.Tests.Storage;

/// <summary>A clock that only moves when told to.</summary>
public sealed class FakeTimeProvider : TimeProvider
{
    private readonly Lock _lock = new();
    private DateTimeOffset _now;

    public FakeTimeProvider(DateTimeOffset start) => _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (_lock)
        {
            _now += by;
        }
    }
}
