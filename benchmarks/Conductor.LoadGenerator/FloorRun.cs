using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Conductor.Abstractions.Compute;
using Conductor.Processes;
using StreamJsonRpc;

namespace Conductor.LoadGenerator;

/// <summary>
/// Runs the fleet against <see cref="FloorServer"/> (a separate process) and measures that server's CPU: what the
/// same connections and calls cost with StreamJsonRpc alone (and, durable, with one fsync per update), measured in the
/// same run as the conductor.
/// </summary>
internal static class FloorRun
{
    /// <summary>Runs the floor: connects the fleet, lets it run one interval, then measures it for the duration.</summary>
    /// <param name="options">The fleet's size, interval and duration.</param>
    /// <param name="durable">Whether the server writes a page and fsyncs it before it answers each update.</param>
    /// <param name="cancellationToken">Stops the run early.</param>
    /// <returns>The floor server's CPU and the calls it answered while measured.</returns>
    public static async Task<FloorResult> RunAsync(LoadOptions options, bool durable, CancellationToken cancellationToken)
    {
        // Beside the conductor's own temporary data directories, so that both sync to the same file system.
        string? syncDirectory = durable ? Path.Combine(Path.GetTempPath(), "conductor-load", "floor-" + Guid.NewGuid().ToString("N")) : null;
        if (syncDirectory is not null)
        {
            Directory.CreateDirectory(syncDirectory);
        }

        try
        {
            return await RunAsync(options, syncDirectory, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (syncDirectory is not null)
            {
                Directory.Delete(syncDirectory, recursive: true);
            }
        }
    }

    private static async Task<FloorResult> RunAsync(LoadOptions options, string? syncDirectory, CancellationToken cancellationToken)
    {
        using Process server = StartServer(syncDirectory);
        var connections = new List<JsonRpc>(options.Hosts);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        List<Task> loops = [];
        long calls = 0;
        long errors = 0;
        try
        {
            string port = await server.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The floor server stopped before it said which port it listens on: " + await server.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false));
            var endpoint = new IPEndPoint(IPAddress.Loopback, int.Parse(port, System.Globalization.CultureInfo.InvariantCulture));
            for (int i = 0; i < options.Hosts; i++)
            {
                connections.Add(await ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false));
            }

            // The same spread over the interval as the conductor's fleet.
            var random = new Random(42);
            foreach (JsonRpc rpc in connections)
            {
                loops.Add(LoopAsync(rpc, options, options.Interval * random.NextDouble(), () => Interlocked.Increment(ref calls), () => Interlocked.Increment(ref errors), stop.Token));
            }

            await Task.Delay(options.Interval, cancellationToken).ConfigureAwait(false);
            server.Refresh();
            TimeSpan cpuStart = server.TotalProcessorTime;
            long callsStart = Interlocked.Read(ref calls);
            long errorsStart = Interlocked.Read(ref errors);
            var clock = Stopwatch.StartNew();
            await Task.Delay(options.Duration, cancellationToken).ConfigureAwait(false);
            server.Refresh();
            TimeSpan cpu = server.TotalProcessorTime - cpuStart;
            var result = new FloorResult(cpu.TotalSeconds / clock.Elapsed.TotalSeconds, Interlocked.Read(ref calls) - callsStart, clock.Elapsed)
            {
                Errors = Interlocked.Read(ref errors) - errorsStart,
            };
            await StopAsync(server, stop, loops, connections).ConfigureAwait(false);
            return result with { Syncs = await ReadSyncsAsync(server, cancellationToken).ConfigureAwait(false) };
        }
        finally
        {
            await StopAsync(server, stop, loops, connections).ConfigureAwait(false);
        }
    }

    /// <summary>Stops the hosts and then the server; safe to call twice.</summary>
    private static async Task StopAsync(Process server, CancellationTokenSource stop, List<Task> loops, List<JsonRpc> connections)
    {
        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(loops).ConfigureAwait(false);
        foreach (JsonRpc rpc in connections)
        {
            rpc.Dispose();
        }

        // Closing its standard input stops the server; should it not stop, it is killed.
        server.StandardInput.Close();
        if (!server.WaitForExit(TimeSpan.FromSeconds(10)))
        {
            server.Kill(entireProcessTree: true);
            server.WaitForExit(TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>Reads the number of syncs the server reports as it stops (the line after its port).</summary>
    private static async Task<long> ReadSyncsAsync(Process server, CancellationToken cancellationToken)
    {
        string? line = await server.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        return long.TryParse(line, System.Globalization.CultureInfo.InvariantCulture, out long syncs)
            ? syncs
            : throw new InvalidOperationException($"The floor server stopped without reporting its syncs (exit code {server.ExitCode}): " + await server.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false));
    }

    private static Process StartServer(string? syncDirectory)
    {
        // This program's assembly again, in its floor-server mode, with the dotnet that runs this process (the same
        // runtime as the conductor's), whether this is `dotnet <dll>`, an apphost or a test runner.
        var start = new ProcessStartInfo(DotnetMuxer.Path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(FloorRun).Assembly.Location);
        start.ArgumentList.Add(LoadCommand.FloorServerCommand);
        if (syncDirectory is not null)
        {
            start.ArgumentList.Add(LoadCommand.FloorSyncDirectoryOption);
            start.ArgumentList.Add(syncDirectory);
        }

        // As the conductor's runtime configuration has it (Conductor.Host.csproj), so that both servers' thread pools
        // behave alike.
        start.Environment["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "0";
        return Process.Start(start) ?? throw new InvalidOperationException("The floor server did not start.");
    }

    private static async Task<JsonRpc> ConnectAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        var client = new TcpClient { NoDelay = true };
        try
        {
            await client.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            client.Dispose();
            throw;
        }

        NetworkStream stream = client.GetStream();
        var rpc = new JsonRpc(new HeaderDelimitedMessageHandler(stream, stream, new SystemTextJsonFormatter()));
        rpc.StartListening();
        _ = rpc.Completion.ContinueWith(static (_, c) => ((TcpClient)c!).Dispose(), client, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return rpc;
    }

    private static async Task LoopAsync(JsonRpc rpc, LoadOptions options, TimeSpan phase, Action answered, Action failed, CancellationToken cancellationToken)
    {
        int sequence = 0;
        try
        {
            await Task.Delay(phase, cancellationToken).ConfigureAwait(false);
            using var timer = new PeriodicTimer(options.Interval);
            do
            {
                await CallAsync(() => rpc.InvokeWithCancellationAsync<ServiceRecord>("services.Heartbeat", [], cancellationToken), answered, failed).ConfigureAwait(false);
                for (int i = 0; i < options.InstancesPerHost; i++)
                {
                    var update = new InstanceUpdate
                    {
                        InstanceId = Guid.NewGuid(),
                        ExpectedTaskState = TaskState.None,
                        PowerState = (sequence++ & 1) == 0 ? PowerState.Shutdown : PowerState.Running,
                    };
                    await CallAsync(() => rpc.InvokeWithCancellationAsync<Instance>("instances.Update", [update], cancellationToken), answered, failed).ConfigureAwait(false);
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run is over.
        }
    }

    private static async Task CallAsync(Func<Task> call, Action answered, Action failed)
    {
        try
        {
            await call().ConfigureAwait(false);
            answered();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Counted and reported: a floor whose calls fail is no floor. The host goes on, as the conductor's do.
            failed();
        }
    }
}
