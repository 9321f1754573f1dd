namespace Conductor.Proxy.Internal;

/// <summary>Marks a service collection in which <c>AddConductorClient</c> already ran.</summary>
internal sealed class ConductorClientMarker
{
}
