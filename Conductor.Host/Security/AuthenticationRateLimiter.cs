using System.Net;
using System.Threading.RateLimiting;

namespace Conductor.Host.Security;

/// <summary>
/// Limits failed authentications per remote address and per claimed identity (fixed windows). Once a limit is
/// reached, further attempts from that address or for that identity are refused without checking their proof until
/// the window ends. Successful authentications cost nothing.
/// </summary>
internal sealed class AuthenticationRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _byAddress;
    private readonly PartitionedRateLimiter<string> _byIdentity;

    public AuthenticationRateLimiter(ConductorSecurityOptions options)
    {
        _byAddress = Create(options.FailedAuthenticationsPerAddress, options.FailedAuthenticationWindow);
        _byIdentity = Create(options.FailedAuthenticationsPerIdentity, options.FailedAuthenticationWindow);
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
        return Exhausted(_byAddress, address, out retryAfter) || Exhausted(_byIdentity, identity, out retryAfter);
    }

    /// <summary>Counts one failed authentication against the address and the identity.</summary>
    /// <param name="address">The remote address.</param>
    /// <param name="identity">The claimed identity.</param>
    public void RecordFailure(string address, string identity)
    {
        _byAddress.AttemptAcquire(address, 1).Dispose();
        _byIdentity.AttemptAcquire(identity, 1).Dispose();
    }

    public void Dispose()
    {
        _byAddress.Dispose();
        _byIdentity.Dispose();
    }

    private static PartitionedRateLimiter<string> Create(int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    private static bool Exhausted(PartitionedRateLimiter<string> limiter, string key, out TimeSpan retryAfter)
    {
        using RateLimitLease lease = limiter.AttemptAcquire(key, 0);
        if (lease.IsAcquired)
        {
            retryAfter = TimeSpan.Zero;
            return false;
        }

        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan after) ? after : TimeSpan.Zero;
        return true;
    }
}
