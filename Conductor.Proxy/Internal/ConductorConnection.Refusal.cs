using Conductor.Abstractions;

namespace Conductor.Proxy.Internal;

/// <content>
/// Holding back after the conductor refused the connection (a bad or revoked credential, incompatible versions):
/// calls fail at once with the conductor's words for a pause that starts at one second and doubles up to
/// <see cref="MaxRefusalPause"/>, instead of each one opening a connection that will be refused (and counted
/// against the conductor's failed-authentication limits for this address).
/// </content>
internal sealed partial class ConductorConnection
{
    /// <summary>The longest pause after repeated refusals.</summary>
    internal static readonly TimeSpan MaxRefusalPause = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan s_firstRefusalPause = TimeSpan.FromSeconds(1);

    private ConductorException? _refusal;
    private long _refusedUntil;
    private TimeSpan _refusalPause = s_firstRefusalPause;

    /// <summary>Called under the gate: throws the last refusal again while its pause lasts.</summary>
    private void ThrowIfRecentlyRefused()
    {
        if (_refusal is { } refusal && Environment.TickCount64 < _refusedUntil)
        {
            throw ConductorException.FromErrorCode(refusal.ErrorCode, refusal.Message, refusal);
        }
    }

    /// <summary>Called under the gate after a refusal.</summary>
    private void RememberRefusal(ConductorException refusal)
    {
        _refusal = refusal;
        _refusedUntil = Environment.TickCount64 + (long)_refusalPause.TotalMilliseconds;
        _refusalPause = TimeSpan.FromTicks(Math.Min(_refusalPause.Ticks * 2, MaxRefusalPause.Ticks));
    }

    /// <summary>Called under the gate after a successful connection.</summary>
    private void ForgetRefusal()
    {
        _refusal = null;
        _refusalPause = s_firstRefusalPause;
    }
}
