using Conductor.Abstractions;
using Conductor.Proxy;
using Conductor.Proxy.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adjusts what a conductor client registers.</summary>
public static class ConductorClientBuilderExtensions
{
    /// <summary>
    /// Removes the built-in compute APIs (<see cref="BuiltInApis.Compute"/>) that <c>AddConductorClient</c> registered,
    /// for a process that speaks only its own APIs, or another build of the built-in contract (for example the frozen
    /// previous version a compatibility test runs). The connection and the database guard stay.
    /// </summary>
    /// <param name="builder">The builder <c>AddConductorClient</c> returned.</param>
    /// <returns>The same builder.</returns>
    public static IConductorClientBuilder WithoutBuiltInApis(this IConductorClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var builtIn = new HashSet<Type>(BuiltInApis.Compute);
        for (int i = builder.Services.Count - 1; i >= 0; i--)
        {
            ServiceDescriptor descriptor = builder.Services[i];
            if (builtIn.Contains(descriptor.ServiceType)
                || (descriptor.ImplementationInstance is RegisteredApi registered && builtIn.Contains(registered.Descriptor.InterfaceType)))
            {
                builder.Services.RemoveAt(i);
            }
        }

        return builder;
    }
}
