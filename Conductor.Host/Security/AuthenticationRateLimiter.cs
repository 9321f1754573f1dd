using System.Net;

namespace Conductor.Host.Security;

/// <summary>
/// Limits failed authentications per remote address and per claimed identity (fixed windows). Once a limit is
/// reached, further attempts from that address or for that identity are refused without checking their proof until
/// the window ends. Successful authentications cost nothing: no table entry and no timer (a partitioned rate limiter
/// kept an entry per authenticated host and a 100 ms timer per table, waking the conductor 20 times a second).
/// </summary>
internal sealed class AuthenticationRateLimiter
{
    private readonly FailureWindows _byAddress;
    private readonly FailureWindows _byIdentity;

    public AuthenticationRateLimiter(ConductorSecurityOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        time ??= TimeProvider.System;
        _byAddress = new FailureWindows(options.FailedAuthenticationsPerAddress, options.FailedAuthenticationWindow, time);
        _byIdentity = new FailureWindows(options.FailedAuthenticationsPerIdentity, options.FailedAuthenticationWindow, time);
    }

    /// <summary>Returns the address part of a remote endpoint (an IP without its port), the unit of the per-address limit.</summary>
    /// <param name="remote">The remote endpoint as the listener reported it.</param>
    /// <returns>The address.</returns>
    public static string AddressOf(string remote) =>
        IPEndPoint.TryParse(remote, out IPEndPoint? endpoint) ? endpoint.Address.ToString() : remote;

    /// <summary>Checks whether attempts from the address, or for the identity, are being refused.</summary>
    /// <param name="address">The remote address.</param>
    /// <param name="identity">The claimed identity.</param>
    /// <param name="retryAfter">How long until attempts are checked again.</param>
    /// <returns>Whether the attempt must be refused unchecked.</returns>
    public bool IsLimited(string address, string identity, out TimeSpan retryAfter)
    {
        // The address first: one noisy address must not use up (and so lock out) another host's identity.
        return _byAddress.IsExhausted(address, out retryAfter) || _byIdentity.IsExhausted(identity, out retryAfter);
    }

    /// <summary>Counts one failed authentication against the address and the identity.</summary>
    /// <param name="address">The remote address.</param>
    /// <param name="identity">The claimed identity.</param>
    public void RecordFailure(string address, string identity)
    {
        _byAddress.Record(address);
        _byIdentity.Record(identity);
    }
}
