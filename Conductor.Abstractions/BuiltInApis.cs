using Conductor.Abstractions.Admin;
using Conductor.Abstractions.Compute;

namespace Conductor.Abstractions;

/// <summary>The conductor APIs this package defines.</summary>
public static class BuiltInApis
{
    /// <summary>Gets the compute-facing APIs, which every compute host proxies.</summary>
    public static IReadOnlyList<Type> Compute { get; } =
        [typeof(IServiceRepository), typeof(IComputeNodeRepository), typeof(IInstanceRepository), typeof(IInstanceActionRepository)];

    /// <summary>Gets the admin APIs, which the conductor CLI proxies.</summary>
    public static IReadOnlyList<Type> Admin { get; } = [typeof(IInstanceAdminRepository), typeof(IServiceAdminRepository), typeof(ICredentialAdminRepository)];

    /// <summary>Gets every API this package defines.</summary>
    public static IReadOnlyList<Type> All { get; } = [.. Compute, .. Admin];
}
