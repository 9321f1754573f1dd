namespace Conductor.Abstractions;

/// <summary>
/// Marks a contract member whose call can be repeated without changing its effect (a read, or a write that only
/// stamps the conductor's clock, like a heartbeat). When the connection drops while such a call is in flight, the
/// proxy repeats it once after reconnecting instead of failing it.
/// </summary>
/// <remarks>
/// A member without this attribute is a write. If one of its arguments is an <see cref="IWriteRequest"/>, the proxy
/// resends it once with the same request id (the conductor answers a known id with the original outcome); otherwise
/// the caller gets a <see cref="WriteOutcomeUnknownException"/>.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class SafeToRetryAttribute : Attribute
{
}
