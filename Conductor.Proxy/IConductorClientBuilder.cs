using Microsoft.Extensions.DependencyInjection;

namespace Conductor.Proxy;

/// <summary>Adds conductor APIs to the proxies a process registers. Returned by <c>AddConductorClient</c>.</summary>
public interface IConductorClientBuilder
{
    /// <summary>Gets the service collection the proxies are registered in.</summary>
    IServiceCollection Services { get; }

    /// <summary>Registers a proxy for one more conductor API interface, over the same shared connection. Safe to call twice.</summary>
    /// <typeparam name="TApi">A public interface marked with <see cref="Abstractions.ConductorApiAttribute"/>.</typeparam>
    /// <returns>This builder.</returns>
    IConductorClientBuilder AddApi<TApi>()
        where TApi : class;

    /// <summary>Registers a proxy for one more conductor API interface, over the same shared connection. Safe to call twice.</summary>
    /// <param name="apiType">A public interface marked with <see cref="Abstractions.ConductorApiAttribute"/>.</param>
    /// <returns>This builder.</returns>
    IConductorClientBuilder AddApi(Type apiType);
}
