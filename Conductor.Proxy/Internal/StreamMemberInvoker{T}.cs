using System.Runtime.CompilerServices;
using Conductor.Abstractions;

namespace Conductor.Proxy.Internal;

/// <summary>
/// Calls a member that returns <see cref="IAsyncEnumerable{T}"/>. StreamJsonRpc streams the items; the call
/// deadline bounds getting the stream, the caller's token bounds the enumeration.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
internal sealed class StreamMemberInvoker<T>(ConductorMemberDescriptor member, CallSite site, ConductorConnection connection) : MemberInvoker(member, site, connection)
{
    public override object Invoke(object?[] arguments)
    {
        object?[] wire = WireArguments(arguments, out CancellationToken cancellationToken);
        return EnumerateAsync(wire, cancellationToken);
    }

    private async IAsyncEnumerable<T> EnumerateAsync(object?[] wire, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        IAsyncEnumerable<T> stream = await Connection.InvokeAsync<IAsyncEnumerable<T>>(Site, wire, cancellationToken).ConfigureAwait(false);
        await foreach (T item in stream.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }
    }
}
