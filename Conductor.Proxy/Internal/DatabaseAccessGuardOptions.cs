namespace Conductor.Proxy.Internal;

/// <summary>An empty options type whose start-up validation runs the database guard's registration check.</summary>
internal sealed class DatabaseAccessGuardOptions
{
}
