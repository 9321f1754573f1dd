namespace Conductor.Abstractions;

/// <summary>What a client may do with a call that was in flight when its connection dropped. Derived once per member.</summary>
public enum RetryBehavior
{
    /// <summary>A write with no request id: it may or may not have been applied, so it is never resent.</summary>
    None = 0,

    /// <summary>A member marked <see cref="SafeToRetryAttribute"/>: it can simply be repeated.</summary>
    Repeat = 1,

    /// <summary>A write whose argument is an <see cref="IWriteRequest"/>: it can be resent with the same request id, and is applied at most once.</summary>
    SameRequestId = 2,
}
