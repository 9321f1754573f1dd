using Conductor.Abstractions;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace Conductor.Proxy.Internal;

/// <summary>Turns JSON-RPC errors received from the conductor back into the typed exceptions of the contract.</summary>
internal static class RemoteErrors
{
    public static ConductorException ToConductorException(RemoteInvocationException exception, string method, string endpoint) => exception.ErrorCode switch
    {
        (int)JsonRpcErrorCode.MethodNotFound => new VersionNotSupportedException(
            $"The conductor at {endpoint} does not serve {method}. It is older than this client or does not host that API: upgrade the conductor first, or check that it registers the API.",
            exception),
        (int)JsonRpcErrorCode.InvalidParams => new InvalidRequestException(
            $"The conductor at {endpoint} rejected the arguments of {method}: {exception.Message}",
            exception),
        _ => ConductorException.FromErrorCode(exception.ErrorCode, exception.Message, exception),
    };
}
