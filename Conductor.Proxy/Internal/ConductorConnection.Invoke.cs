using Conductor.Abstractions;
using StreamJsonRpc;

namespace Conductor.Proxy.Internal;

/// <content>The call path: one deadline per call, one retry after a lost connection where that is safe, typed errors out.</content>
internal sealed partial class ConductorConnection
{
    /// <summary>Sends one call and waits for its answer within the call deadline.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="site">The member called (its wire name, retry behaviour and the API version it needs).</param>
    /// <param name="arguments">The arguments, without the cancellation token.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The result.</returns>
    /// <remarks>
    /// When the connection drops while the call is in flight, a member that is safe to repeat, or a write that carries
    /// a request id (resent with the same id, so the conductor applies it at most once), is sent once more after the
    /// proxy has reconnected, within <see cref="ConductorClientOptions.InFlightRetryWindow"/>. Any other write fails
    /// with <see cref="WriteOutcomeUnknownException"/>.
    /// </remarks>
    public async Task<T> InvokeAsync<T>(CallSite site, object?[] arguments, CancellationToken cancellationToken)
    {
        ConductorMemberDescriptor member = site.Member;
        cancellationToken.ThrowIfCancellationRequested();
        using CancellationTokenSource deadline = cancellationToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken)
            : new CancellationTokenSource();
        deadline.CancelAfter(_options.CallTimeout);
        string method = member.MethodName;
        ClientSession? failed = null;
        Exception? lost = null;
        while (true)
        {
            ClientSession session;
            try
            {
                session = failed is null
                    ? await GetSessionAsync(deadline.Token).ConfigureAwait(false)
                    : await GetNewSessionAsync(failed, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw failed is null ? Unreachable() : NotRecovered(member, arguments, lost!);
            }

            // Checked on the session in hand: a reconnection may have settled on another version.
            if (session.Settled[site.ApiSlot] < site.Since)
            {
                throw NotCallable(session, site);
            }

            try
            {
                // WaitAsync: StreamJsonRpc asks the server to cancel, but a wedged server never answers that either;
                // the deadline must hold regardless.
                if (member.ResultType is not null)
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
                throw NoAnswer(member, arguments, ex);
            }
            catch (Exception ex) when (ex is ConnectionLostException or ObjectDisposedException && !cancellationToken.IsCancellationRequested)
            {
                if (failed is not null || member.Retry == RetryBehavior.None || _options.InFlightRetryWindow <= TimeSpan.Zero)
                {
                    throw failed is null ? Lost(member, arguments, ex) : NotRecovered(member, arguments, ex);
                }

                failed = session;
                lost = ex;
                LogRetryingAfterLoss(_logger, method, _endpoint.Text, _options.InFlightRetryWindow.TotalSeconds);
            }
        }
    }

    /// <summary>Waits, within the in-flight retry window, for a session other than the one that failed.</summary>
    private async Task<ClientSession> GetNewSessionAsync(ClientSession failed, CancellationToken deadline)
    {
        lock (_gate)
        {
            // The drop may not have been reported yet: never hand the dead session out again.
            if (ReferenceEquals(_session, failed))
            {
                _session = null;
            }
        }

        failed.Rpc.Dispose();
        using CancellationTokenSource window = CancellationTokenSource.CreateLinkedTokenSource(deadline);
        window.CancelAfter(_options.InFlightRetryWindow);
        return await GetSessionAsync(window.Token).ConfigureAwait(false);
    }

    private ConductorUnavailableException NoAnswer(ConductorMemberDescriptor member, object?[] arguments, Exception cause)
    {
        string what = $"The conductor at {_endpoint} did not answer {member.MethodName} within {_options.CallTimeout.TotalSeconds:0.###} s.";
        return member.Retry switch
        {
            RetryBehavior.Repeat => new ConductorUnavailableException(
                what + " Check the conductor's health (its log, CPU and disk); the call changed nothing and can be repeated.", cause),
            RetryBehavior.SameRequestId => new WriteOutcomeUnknownException(
                what + " Whether it applied the write is unknown: retry with the same request object (the conductor applies one request id at most once), and check the conductor's health.",
                RequestIdOf(member, arguments),
                cause),
            _ => new WriteOutcomeUnknownException(
                what + $" Whether it applied the write is unknown, and {member.MethodName} carries no request id: read the record to find out before repeating it.", cause),
        };
    }

    private ConductorUnavailableException Lost(ConductorMemberDescriptor member, object?[] arguments, Exception cause)
    {
        string what = $"The connection to the conductor at {_endpoint} was lost while {member.MethodName} was in flight.";
        return member.Retry == RetryBehavior.None
            ? new WriteOutcomeUnknownException(
                what + $" Whether the conductor applied it is unknown, and {member.MethodName} carries no request id, so the proxy did not resend it: read the record to find out before repeating it.", cause)
            : new ConductorUnavailableException(
                what + $" The proxy did not retry it (Conductor:InFlightRetryWindow is 0); {(member.Retry == RetryBehavior.Repeat ? "repeat the call" : "retry with the same request object")} once the proxy has reconnected.", cause);
    }

    private ConductorUnavailableException NotRecovered(ConductorMemberDescriptor member, object?[] arguments, Exception cause)
    {
        string what = $"The connection to the conductor at {_endpoint} was lost while {member.MethodName} was in flight, and the proxy could not complete it again within {_options.InFlightRetryWindow.TotalSeconds:0.###} s of reconnecting ({cause.Message.TrimEnd('.')}).";
        return member.Retry == RetryBehavior.SameRequestId
            ? new WriteOutcomeUnknownException(
                what + " Whether the conductor applied the write is unknown: retry with the same request object once the conductor is back (it applies one request id at most once).",
                RequestIdOf(member, arguments),
                cause)
            : new ConductorUnavailableException(what + " Check that the conductor is running; the call changed nothing and can be repeated.", cause);
    }

    private static Guid? RequestIdOf(ConductorMemberDescriptor member, object?[] arguments) =>
        member.WriteRequestIndex >= 0 && arguments[member.WriteRequestIndex] is IWriteRequest request ? request.RequestId : null;
}
