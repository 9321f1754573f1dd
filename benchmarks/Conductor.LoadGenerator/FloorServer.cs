using System.Net;
using System.Net.Sockets;
using Conductor.Abstractions.Compute;
using StreamJsonRpc;

namespace Conductor.LoadGenerator;

/// <summary>
/// The fleet's floor: a bare StreamJsonRpc server that answers the two calls every simulated host makes
/// (<c>services.Heartbeat</c> and <c>instances.Update</c>) from memory, with answers of the same shape as the
/// conductor's, and nothing else: no handshake, authentication, storage or fsync. Its durable variant also writes one
/// page and fsyncs it before it answers each <c>instances.Update</c> (<see cref="FloorLog"/>), as the conductor must
/// for a durable write, with no database. It runs as its own process (this program's hidden <c>floor-server</c>
/// command) so that its CPU time is measured as the conductor's is.
/// </summary>
/// <remarks>
/// It is set up as the conductor's connections are where that is StreamJsonRpc's own business: header-delimited
/// framing, System.Text.Json, requests dispatched as they arrive (<see cref="JsonRpc.SynchronizationContext"/> null),
/// and the thread pool without spinning (set by <see cref="FloorRun"/> as the conductor's runtime configuration sets it).
/// </remarks>
internal static class FloorServer
{
    private static readonly Instance s_instance = new()
    {
        Id = Guid.Parse("0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b"),
        Name = "load-vm-000001",
        Host = "compute-00001",
        Flavor = new Flavor { Vcpus = 1, MemoryMb = 512, DiskGb = 1 },
        VmState = VmState.Active,
        TaskState = TaskState.None,
        PowerState = PowerState.Running,
        CreatedAtUtc = new DateTime(2026, 11, 27, 0, 0, 0, DateTimeKind.Utc),
        UpdatedAtUtc = new DateTime(2026, 11, 27, 0, 0, 0, DateTimeKind.Utc),
        Revision = 1,
    };

    /// <summary>
    /// Serves until standard input closes (the load generator that started it has finished or died). Writes the port
    /// it listens on as the first line of standard output and, when it stops, the number of syncs as the second.
    /// </summary>
    /// <param name="syncDirectory">Where to keep the durable variant's file, or <see langword="null"/> to answer from memory only.</param>
    /// <returns>0.</returns>
    public static async Task<int> RunAsync(string? syncDirectory)
    {
        using FloorLog? log = syncDirectory is null ? null : new FloorLog(syncDirectory);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(backlog: 4096);
        using var stop = new CancellationTokenSource();
        Console.WriteLine(((IPEndPoint)listener.LocalEndpoint).Port);
        Task accepting = AcceptAsync(listener, log, stop.Token);
        await Console.In.ReadToEndAsync(CancellationToken.None).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        listener.Stop();
        try
        {
            await accepting.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        Console.WriteLine(log?.Syncs ?? 0);
        return 0;
    }

    private static async Task AcceptAsync(TcpListener listener, FloorLog? log, CancellationToken cancellationToken)
    {
        while (true)
        {
            Socket socket = await listener.AcceptSocketAsync(cancellationToken).ConfigureAwait(false);
            socket.NoDelay = true;
            var stream = new NetworkStream(socket, ownsSocket: true);
            var rpc = new JsonRpc(new HeaderDelimitedMessageHandler(stream, stream, new SystemTextJsonFormatter()))
            {
                SynchronizationContext = null,
            };
            rpc.AddLocalRpcMethod("services.Heartbeat", Heartbeat);
            Func<InstanceUpdate, Task<Instance>> update = log is null ? Update : u =>
            {
                log.WriteAndSync();
                return Update(u);
            };
            rpc.AddLocalRpcMethod("instances.Update", update);
            rpc.StartListening();
            _ = rpc.Completion.ContinueWith(static (_, s) => ((Stream)s!).Dispose(), stream, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private static Task<ServiceRecord> Heartbeat() => Task.FromResult(new ServiceRecord
    {
        Host = s_instance.Host,
        Binary = "compute-host",
        Version = "1.0.0",
        Disabled = false,
        CreatedAtUtc = s_instance.CreatedAtUtc,
        LastHeartbeatAtUtc = DateTime.UtcNow,
    });

    private static Task<Instance> Update(InstanceUpdate update) => Task.FromResult(s_instance with
    {
        Id = update.InstanceId,
        PowerState = update.PowerState ?? s_instance.PowerState,
        UpdatedAtUtc = DateTime.UtcNow,
    });
}
