using Conductor.Abstractions.Admin;
using Conductor.Abstractions.Compute;
using Conductor.Proxy;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.CrashLoop;

/// <content>The checks after each restart: every acknowledged write present, every client reconnected.</content>
public sealed partial class CrashLoopRunner
{
    private async Task VerifyAsync(ServiceProvider admin, List<(string Host, ServiceProvider Provider, Guid InstanceId)> compute, int round, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_verifyTimeout);

        // Snapshot first: everything acknowledged up to now was acknowledged by a conductor that the reads below follow.
        KeyValuePair<Guid, string>[] actions = [.. _acknowledgedActions];
        Guid[] creates = [.. _acknowledgedCreates.Keys];
        foreach ((string host, ServiceProvider provider, Guid instanceId) in compute)
        {
            IReadOnlyList<InstanceAction> stored = await RetryAsync(c => provider.GetRequiredService<IInstanceActionRepository>().ListAsync(instanceId, c), timeout.Token).ConfigureAwait(false);
            var present = stored.Select(a => a.Id).ToHashSet();
            int missing = actions.Count(a => a.Value == host && !present.Contains(a.Key));
            if (missing > 0)
            {
                _failures.Enqueue($"Round {round}: {missing} acknowledged action(s) of {host} are missing after the restart.");
            }
        }

        var instances = new HashSet<Guid>();
        IInstanceAdminRepository all = admin.GetRequiredService<IInstanceAdminRepository>();
        string? after = null;
        do
        {
            string? from = after;
            Page<Instance> page = await RetryAsync(c => all.ListAsync(new PageRequest { Limit = PageRequest.MaxLimit, After = from }, c), timeout.Token).ConfigureAwait(false);
            instances.UnionWith(page.Items.Select(i => i.Id));
            after = page.NextPageToken;
        }
        while (after is not null);

        int lost = creates.Count(id => !instances.Contains(id));
        if (lost > 0)
        {
            _failures.Enqueue($"Round {round}: {lost} acknowledged instance create(s) are missing after the restart.");
        }
    }

    private async Task<long> CountReconnectsAsync(List<ServiceProvider> clients, Conductor.Abstractions.Wire.HandshakeResponse?[] connectionsBefore, int round, CancellationToken cancellationToken)
    {
        long reconnects = 0;
        for (int i = 0; i < clients.Count; i++)
        {
            // The same client objects, never rebuilt: a call through them must reach the restarted conductor.
            IConductorConnection connection = clients[i].GetRequiredService<IConductorConnection>();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(s_verifyTimeout);
            // Connection ids restart with the conductor's process, so compare the handshake answers themselves.
            Conductor.Abstractions.Wire.HandshakeResponse now = await RetryAsync(c => connection.ConnectAsync(c), timeout.Token).ConfigureAwait(false);
            if (ReferenceEquals(now, connectionsBefore[i]))
            {
                _failures.Enqueue($"Round {round}: client {i} still uses its connection to the killed conductor.");
            }
            else
            {
                reconnects++;
            }
        }

        return reconnects;
    }
}
