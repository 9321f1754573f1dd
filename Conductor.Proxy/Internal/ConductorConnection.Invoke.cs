using Conductor.Abstractions;
using StreamJsonRpc;

namespace Conductor.Proxy.Internal;

/// <content>The call path: one deadline per call, typed errors out.</content>
internal sealed partial class ConductorConnection
{
    /// <summary>Sends one call and waits for its answer within the call deadline.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="site">The member called.</param>
    /// <param name="arguments">The arguments, without the cancellation token.</param>
    /// <param name="hasResult">Whether the member returns a value.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The result.</returns>
    public async Task<T> InvokeAsync<T>(CallSite site, object?[] arguments, bool hasResult, CancellationToken cancellationToken)
    {
        string method = site.MethodName;
        cancellationToken.ThrowIfCancellationRequested();
        using CancellationTokenSource deadline = cancellationToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken)
            : new CancellationTokenSource();
        deadline.CancelAfter(_options.CallTimeout);

        ClientSession session;
        try
        {
            session = await GetSessionAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Unreachable();
        }

        if (session.Settled[site.ApiSlot] < site.Since)
        {
            throw NotCallable(session, site);
        }

        try
        {
            // WaitAsync: StreamJsonRpc asks the server to cancel, but a wedged server never answers that either;
            // the deadline must hold regardless.
            if (hasResult)
            {
                return await session.Rpc.InvokeWithCancellationAsync<T>(method, arguments, deadline.Token).WaitAsync(deadline.Token).ConfigureAwait(false);
            }

            await session.Rpc.InvokeWithCancellationAsync(method, arguments, deadline.Token).WaitAsync(deadline.Token).ConfigureAwait(false);
            return default!;
        }
        catch (RemoteInvocationException ex)
        {
            throw RemoteErrors.ToConductorException(ex, method, _endpoint.Text);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ConductorUnavailableException(
                $"The conductor at {_endpoint} did not answer {method} within {_options.CallTimeout.TotalSeconds:0.###} s. " +
                "Check the conductor's health (its log, CPU and disk); a write may or may not have been applied, so retry it with the same request object.",
                ex);
        }
        catch (Exception ex) when (ex is ConnectionLostException or ObjectDisposedException && !cancellationToken.IsCancellationRequested)
        {
            throw new ConductorUnavailableException(
                $"The connection to the conductor at {_endpoint} was lost during {method}. " +
                "A write may or may not have been applied: retry it with the same request object once the proxy has reconnected (it does so by itself).",
                ex);
        }
    }
}
