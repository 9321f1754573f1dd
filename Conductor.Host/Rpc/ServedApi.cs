using System.Collections.Concurrent;
using System.Reflection;
using Conductor.Abstractions;
using StreamJsonRpc;

namespace Conductor.Host.Rpc;

/// <summary>An API the conductor serves: its descriptor and the RPC metadata built once for it (and once per older minor).</summary>
internal sealed class ServedApi
{
    private readonly ConcurrentDictionary<ApiVersion, RpcTargetMetadata> _byVersion = new();

    public ServedApi(Type interfaceType)
    {
        Descriptor = ConductorApiDescriptor.Create(interfaceType);
        Metadata = RpcTargetMetadata.FromInterface(interfaceType);
        string name = Descriptor.Name;
        TargetOptions = new JsonRpcTargetOptions
        {
            MethodNameTransform = member => ApiNames.MethodName(name, member),
            DisposeOnDisconnect = false,
            AllowNonPublicInvocation = false,
        };
    }

    public ConductorApiDescriptor Descriptor { get; }

    public RpcTargetMetadata Metadata { get; }

    public JsonRpcTargetOptions TargetOptions { get; }

    /// <summary>
    /// Returns the RPC metadata of the members a connection settled on <paramref name="version"/> may call: members
    /// added later are not exposed to it at all, so calling one is an unknown method. Built once per version.
    /// </summary>
    /// <param name="version">The settled version.</param>
    /// <returns>The metadata.</returns>
    public RpcTargetMetadata MetadataFor(ApiVersion version)
    {
        if (Descriptor.Members.All(m => m.Since <= version))
        {
            return Metadata;
        }

        return _byVersion.GetOrAdd(version, static (v, api) => api.Filter(v), this);
    }

    private RpcTargetMetadata Filter(ApiVersion version)
    {
        var allowed = Descriptor.Members.Where(m => m.Since <= version).Select(m => m.Method).ToHashSet();
        return new RpcTargetMetadata
        {
            TargetType = Metadata.TargetType,
            Methods = Keep(Metadata.Methods, allowed),
            AliasedMethods = Keep(Metadata.AliasedMethods, allowed),
            Events = Metadata.Events,
        };
    }

    private static Dictionary<string, IReadOnlyList<RpcTargetMetadata.TargetMethodMetadata>> Keep(
        IReadOnlyDictionary<string, IReadOnlyList<RpcTargetMetadata.TargetMethodMetadata>> methods, HashSet<MethodInfo> allowed)
    {
        var kept = new Dictionary<string, IReadOnlyList<RpcTargetMetadata.TargetMethodMetadata>>(StringComparer.Ordinal);
        foreach ((string name, IReadOnlyList<RpcTargetMetadata.TargetMethodMetadata> overloads) in methods)
        {
            var visible = overloads.Where(o => allowed.Contains(o.MethodInfo)).ToList();
            if (visible.Count > 0)
            {
                kept[name] = visible;
            }
        }

        return kept;
    }
}
