using Conductor.Abstractions;
using StreamJsonRpc;

namespace Conductor.Host.Rpc;

/// <summary>An API the conductor serves: its descriptor and the RPC metadata built once for it.</summary>
internal sealed class ServedApi
{
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
}
