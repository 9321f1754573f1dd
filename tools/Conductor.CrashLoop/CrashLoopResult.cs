namespace Conductor.CrashLoop;

/// <summary>What a crash loop saw.</summary>
/// <param name="Rounds">Rounds completed (kill, restart, verify).</param>
/// <param name="AcknowledgedWrites">Writes the conductor acknowledged over the whole run.</param>
/// <param name="RetriedWrites">Writes the writer itself had to retry (same request) because a kill interrupted them and the proxy's own resend did not complete them.</param>
/// <param name="ProxyResends">Calls in flight at a kill that the proxy resent by itself after reconnecting (same request id).</param>
/// <param name="Reconnects">Times the long-lived compute clients reconnected to a restarted conductor.</param>
/// <param name="Failures">Every broken promise found: a lost acknowledged write, a refused restart, a client that did not come back.</param>
/// <param name="Elapsed">How long the run took.</param>
/// <param name="Seed">The seed of the kill delays.</param>
public sealed record CrashLoopResult(int Rounds, long AcknowledgedWrites, long RetriedWrites, long ProxyResends, long Reconnects, IReadOnlyList<string> Failures, TimeSpan Elapsed, int Seed)
{
    /// <summary>Gets whether no failure was found.</summary>
    public bool Passed => Failures.Count == 0;
}
