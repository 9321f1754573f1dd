using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Conductor.Abstractions.Compute;
using Conductor.Processes;
using StreamJsonRpc;

namespace Conductor.LoadGenerator;

/// <summary>
/// Runs the fleet against <see cref="FloorServer"/> (a separate process) and measures that server's CPU: what the
/// same connections and calls cost with StreamJsonRpc alone, measured in the same run as the conductor.
/// </summary>
internal static class FloorRun
{
    /// <summary>Runs the floor: connects the fleet, lets it run one interval, then measures it for the duration.</summary>
    /// <param name="options">The fleet's size, interval and duration.</param>
    /// <param name="cancellationToken">Stops the run early.</param>
    /// <returns>The floor server's CPU and the calls it answered while measured.</returns>
    public static async Task<FloorResult> RunAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        using Process server = StartServer();
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
            return new FloorResult(cpu.TotalSeconds / clock.Elapsed.TotalSeconds, Interlocked.Read(ref calls) - callsStart, clock.Elapsed)
            {
                Errors = Interlocked.Read(ref errors) - errorsStart,
            };
        }
        finally
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
            }
        }
    }

    private static Process StartServer()
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
