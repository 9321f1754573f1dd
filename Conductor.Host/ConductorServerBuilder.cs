using Conductor.Abstractions;
using Conductor.Host.Rpc;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.Host;

/// <inheritdoc/>
internal sealed class ConductorServerBuilder(IServiceCollection services) : IConductorServerBuilder
{
    /// <inheritdoc/>
    public IServiceCollection Services { get; } = services;

    /// <inheritdoc/>
    public IConductorServerBuilder AddApi<TApi, TImplementation>()
        where TApi : class
        where TImplementation : class, TApi
    {
        // Validate now, so a bad contract fails at registration with a message naming the member.
        _ = ConductorApiDescriptor.Create(typeof(TApi));
        if (!Services.Any(d => d.ImplementationInstance is ServedApiRegistration r && r.ApiType == typeof(TApi)))
        {
            Services.AddSingleton(new ServedApiRegistration(typeof(TApi)));
        }

        Services.AddScoped<TApi, TImplementation>();
        return this;
    }
}
