using Conductor.Abstractions;

namespace Conductor.Host.Tests.Security;

/// <summary>An API with one member whose author forgot its access rule.</summary>
[ConductorApi("unruled", 1, 0)]
public interface IUnruledApi
{
    [ConductorAccess(AccessRule.OwnHost)]
    Task<string> RuledAsync(CancellationToken cancellationToken);

    Task<string> ForgottenAsync(CancellationToken cancellationToken);
}
