using Conductor.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.Proxy.Internal;

/// <inheritdoc/>
internal sealed class ConductorClientBuilder(IServiceCollection services) : IConductorClientBuilder
{
    /// <inheritdoc/>
    public IServiceCollection Services { get; } = services;

    /// <inheritdoc/>
    public IConductorClientBuilder AddApi<TApi>()
        where TApi : class => AddApi(typeof(TApi));

    /// <inheritdoc/>
    public IConductorClientBuilder AddApi(Type apiType)
    {
        ArgumentNullException.ThrowIfNull(apiType);

        // Validate now, so a bad contract fails at registration with a message naming the member, not at first call.
        ConductorApiDescriptor descriptor = ConductorApiDescriptor.Create(apiType);
        if (Services.Any(d => d.ImplementationInstance is RegisteredApi registered && registered.Descriptor.InterfaceType == apiType))
        {
            return this;
        }

        Services.AddSingleton(new RegisteredApi(descriptor));
        Services.AddSingleton(apiType, sp => sp.GetRequiredService<ConductorProxyFactory>().Create(descriptor));
        return this;
    }
}
