using Microsoft.Extensions.DependencyInjection;

namespace Conductor.Host;

/// <summary>Adds APIs to the conductor. Returned by <c>AddConductorServer</c>.</summary>
public interface IConductorServerBuilder
{
    /// <summary>Gets the service collection the conductor is registered in.</summary>
    IServiceCollection Services { get; }

    /// <summary>
    /// Serves one more conductor API with its repository. The repository is resolved once per connection (scoped)
    /// and can take <see cref="Abstractions.ICallerContext"/> to know which host is calling.
    /// </summary>
    /// <typeparam name="TApi">A public interface marked with <see cref="Abstractions.ConductorApiAttribute"/>.</typeparam>
    /// <typeparam name="TImplementation">The repository.</typeparam>
    /// <returns>This builder.</returns>
    IConductorServerBuilder AddApi<TApi, TImplementation>()
        where TApi : class
        where TImplementation : class, TApi;
}
