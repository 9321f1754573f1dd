using System.Diagnostics;
using System.Globalization;
using System.Text;
using Conductor.Abstractions;
using Conductor.Abstractions.Admin;
using Conductor.Abstractions.Compute;
using Conductor.Proxy;
using Conductor.Proxy.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.LoadGenerator;

/// <summary>
/// One run: start (or attach to) the conductor, connect the fleet, create and place its instances, let it sit idle to
/// read the memory per connection, run the heartbeat and update load for the duration, and report.
/// </summary>
internal static class LoadRun
{
    /// <summary>Runs the load and prints the report.</summary>
    /// <param name="options">What to do.</param>
    /// <param name="cancellationToken">Stops the run early.</param>
    /// <returns>0 when no call failed (the floor's included), 1 otherwise.</returns>
    public static async Task<int> RunAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        FloorResult? floor = null;
        FloorResult? durableFloor = null;
        if (options.WithFloor)
        {
            Console.WriteLine($"Measuring the floor: {options.Hosts} hosts against a bare StreamJsonRpc server answering from memory, for {options.Duration.TotalSeconds:0} s after one interval...");
            floor = await FloorRun.RunAsync(options, durable: false, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"Floor: {floor.Cpu * 100:0.0}% of a core, {floor.CpuPerCallMicroseconds:0} us per call ({floor.Calls} calls, {floor.Errors} failed).");
            Console.WriteLine($"Measuring the durable floor: the same, with a page written and fsynced before each update is answered, for {options.Duration.TotalSeconds:0} s after one interval...");
            durableFloor = await FloorRun.RunAsync(options, durable: true, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"Durable floor: {durableFloor.Cpu * 100:0.0}% of a core, {durableFloor.CpuPerCallMicroseconds:0} us per call ({durableFloor.Calls} calls, {durableFloor.Errors} failed, {durableFloor.Syncs} fsyncs).");
        }

        await using ConductorProcess conductor = await ConductorProcess.StartAsync(options, cancellationToken).ConfigureAwait(false);
        Console.WriteLine($"Conductor (process {conductor.Process.Id}) at {conductor.Endpoint}; {options.Hosts} hosts.");
        var recorder = new LatencyRecorder();

        await using ServiceProvider admin = CreateAdmin(conductor.Endpoint, conductor.AdminCredentialsFile);
        await admin.GetRequiredService<IConductorConnection>().ConnectAsync(cancellationToken).ConfigureAwait(false);

        // As an operator would with `conductor hosts add`: one credential per host, issued through the admin API.
        var clock = Stopwatch.StartNew();
        ICredentialAdminRepository credentials = admin.GetRequiredService<ICredentialAdminRepository>();
        string[] names = Enumerable.Range(1, options.Hosts).Select(i => $"compute-{i:D5}").ToArray();
        var issued = new string[names.Length];
        await Parallel.ForAsync(0, names.Length, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var credential = HostCredential.Generate(names[i], ConductorRole.Compute);
            await credentials.AddAsync(credential.CreateVerifier(replace: true), ct).ConfigureAwait(false);
            issued[i] = credential.Export();
        }).ConfigureAwait(false);
        Console.WriteLine($"{names.Length} host credentials issued in {clock.Elapsed.TotalSeconds:0.0} s.");

        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
        long baselineBytes = conductor.ResidentBytes;

        var hosts = names.Select((name, i) => SimulatedHost.Create(name, issued[i], conductor.Endpoint, recorder)).ToList();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        List<Task> loops = [];
        try
        {
            // The fleet connects in two halves, each left to settle before the conductor's memory is read: the growth
            // from half the fleet to all of it is what a connection adds, without the one-off costs the first
            // connections bring (code compiled for the compute paths, thread-pool threads, the collector's budgets).
            var random = new Random(42);
            int half = hosts.Count / 2;
            TimeSpan connecting = TimeSpan.Zero;
            long halfBytes = 0;
            foreach (SimulatedHost[] group in new[] { hosts[..half].ToArray(), hosts[half..].ToArray() })
            {
                clock.Restart();
                await Parallel.ForEachAsync(group, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken }, (h, ct) => new ValueTask(h.StartAsync(ct))).ConfigureAwait(false);
                connecting += clock.Elapsed;

                // A compute host heartbeats from the moment it registers: start every host's loop now (its instances
                // come later), spread over the interval, so the fleet stays up while the admin creates instances.
                loops.AddRange(group.Select(h => h.RunAsync(options.Interval, options.Interval * random.NextDouble(), stop.Token)));

                // Idle: these hosts connected, handshaken and registered, nothing in flight but the heartbeats.
                await Task.Delay(options.Settle, cancellationToken).ConfigureAwait(false);
                if (halfBytes == 0)
                {
                    halfBytes = conductor.ResidentBytes;
                }
            }

            Console.WriteLine($"{hosts.Count} hosts connected and registered in {connecting.TotalSeconds:0.0} s.");
            long idleBytes = conductor.ResidentBytes;
            TimeSpan idleCpuStart = conductor.CpuTime;
            await Task.Delay(options.Interval, cancellationToken).ConfigureAwait(false);
            double idleCpu = (conductor.CpuTime - idleCpuStart).TotalSeconds / options.Interval.TotalSeconds;

            clock.Restart();
            IInstanceAdminRepository instances = admin.GetRequiredService<IInstanceAdminRepository>();
            var flavor = new Flavor { Vcpus = 1, MemoryMb = 512, DiskGb = 1 };
            int created = 0;
            await Parallel.ForEachAsync(Enumerable.Range(0, options.Hosts * options.InstancesPerHost), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (i, ct) =>
            {
                await instances.CreateAsync(new InstanceCreate { Name = $"load-vm-{i:D6}", Flavor = flavor }, ct).ConfigureAwait(false);
                if (Interlocked.Increment(ref created) % 250 == 0)
                {
                    Console.WriteLine($"  {created} instances created ({clock.Elapsed.TotalSeconds:0} s)");
                }
            }).ConfigureAwait(false);
            double createSeconds = clock.Elapsed.TotalSeconds;
            await Parallel.ForEachAsync(hosts, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken }, (h, ct) => new ValueTask(h.DiscoverInstancesAsync(ct))).ConfigureAwait(false);
            Console.WriteLine($"{options.Hosts * options.InstancesPerHost} instances created and placed in {createSeconds:0.0} s ({options.Hosts * options.InstancesPerHost / createSeconds:0.0}/s), found and activated by their hosts in {clock.Elapsed.TotalSeconds - createSeconds:0.0} s.");

            Console.WriteLine($"Measuring the load for {options.Duration.TotalSeconds:0} s (every host heartbeats and updates each instance every {options.Interval.TotalSeconds:0.###} s)...");
            recorder.Recording = true;
            TimeSpan cpuStart = conductor.CpuTime;
            TimeSpan ownCpuStart = Process.GetCurrentProcess().TotalProcessorTime;
            clock.Restart();
            long peakBytes = 0;
            while (clock.Elapsed < options.Duration)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                peakBytes = Math.Max(peakBytes, conductor.ResidentBytes);
            }

            double loadCpu = (conductor.CpuTime - cpuStart).TotalSeconds / clock.Elapsed.TotalSeconds;
            double ownCpu = (Process.GetCurrentProcess().TotalProcessorTime - ownCpuStart).TotalSeconds / clock.Elapsed.TotalSeconds;
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(loops).ConfigureAwait(false);
            recorder.Recording = false;

            string report = Report(options, recorder, baselineBytes, halfBytes, idleBytes, peakBytes, idleCpu, loadCpu, ownCpu, clock.Elapsed, hosts.Sum(h => h.InstanceCount), floor, durableFloor);
            Console.WriteLine();
            Console.WriteLine(report);
            if (options.Output is { } output)
            {
                await File.WriteAllTextAsync(output, report, cancellationToken).ConfigureAwait(false);
                Console.WriteLine($"Written to {output}");
            }

            return recorder.Errors().Count == 0 && (floor is null || floor.Errors == 0) && (durableFloor is null || durableFloor.Errors == 0) ? 0 : 1;
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(loops).ConfigureAwait(false);
            foreach (SimulatedHost host in hosts)
            {
                await host.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static ServiceProvider CreateAdmin(string endpoint, string credentialsFile)
    {
        var services = new ServiceCollection();
        services.AddConductorClient(o =>
            {
                o.Endpoint = endpoint;
                o.HostName = "admin";
                o.Role = ConductorRole.Admin;
                o.CredentialsFile = credentialsFile;
                o.ClientName = "load-generator";
                o.CallTimeout = TimeSpan.FromSeconds(60);
            })
            .AddApi<IInstanceAdminRepository>()
            .AddApi<ICredentialAdminRepository>();
        return services.BuildServiceProvider();
    }

    private static string Report(LoadOptions options, LatencyRecorder recorder, long baselineBytes, long halfBytes, long idleBytes, long peakBytes, double idleCpu, double loadCpu, double ownCpu, TimeSpan elapsed, int instanceCount, FloorResult? floor, FloorResult? durableFloor)
    {
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        IReadOnlyDictionary<string, double[]> latencies = recorder.Latencies();
        IReadOnlyDictionary<string, int> errors = recorder.Errors();
        double perConnection = (idleBytes - baselineBytes) / (double)options.Hosts;
        int secondHalf = options.Hosts - (options.Hosts / 2);
        double perAddedConnection = secondHalf == 0 ? double.NaN : (idleBytes - halfBytes) / (double)secondHalf;
        text.AppendLine(culture, $"## Load: {options.Hosts} compute hosts, {instanceCount} instances, every host heartbeating and updating each instance every {options.Interval.TotalSeconds:0.###} s, for {elapsed.TotalSeconds:0} s");
        text.AppendLine();
        text.AppendLine("| measure | value | target |");
        text.AppendLine("|---|---:|---|");
        text.AppendLine(culture, $"| errors | {errors.Values.Sum()} | 0 |");
        text.AppendLine(culture, $"| conductor CPU under load | {loadCpu * 100:0.0}% of a core | < 5% of a core for 1,000 hosts |");
        int calls = latencies.Values.Sum(v => v.Length);
        double cpuPerCall = calls == 0 ? double.NaN : loadCpu * elapsed.TotalSeconds / calls * 1e6;
        text.AppendLine(culture, $"| conductor CPU per call under load (its CPU time / calls answered) | {cpuPerCall:0} us | |");
        if (floor is not null)
        {
            text.AppendLine(culture, $"| floor: a bare StreamJsonRpc server, same fleet and calls, answering from memory | {floor.Cpu * 100:0.0}% of a core ({floor.CpuPerCallMicroseconds:0} us per call{(floor.Errors == 0 ? "" : $"; {floor.Errors} calls failed")}) | |");
            text.AppendLine(culture, $"| conductor CPU under load / floor | {loadCpu / floor.Cpu:0.00}x | |");
        }

        if (durableFloor is not null)
        {
            text.AppendLine(culture, $"| durable floor: the same server, writing a page and fsyncing it before answering each update | {durableFloor.Cpu * 100:0.0}% of a core ({durableFloor.CpuPerCallMicroseconds:0} us per call, {durableFloor.Syncs} fsyncs{(durableFloor.Errors == 0 ? "" : $"; {durableFloor.Errors} calls failed")}) | |");
            text.AppendLine(culture, $"| conductor CPU under load / durable floor | {loadCpu / durableFloor.Cpu:0.00}x | |");
        }

        text.AppendLine(culture, $"| conductor CPU, fleet connected and heartbeating only | {idleCpu * 100:0.00}% of a core | |");
        text.AppendLine(culture, $"| conductor resident memory: before the fleet / half the fleet idle / fleet idle / peak under load | {baselineBytes / 1048576.0:0.0} / {halfBytes / 1048576.0:0.0} / {idleBytes / 1048576.0:0.0} / {peakBytes / 1048576.0:0.0} MiB | |");
        text.AppendLine(culture, $"| conductor memory per idle connection (resident growth / hosts) | {perConnection / 1024:0.0} KiB | < 64 KiB |");
        text.AppendLine(culture, $"| conductor memory per added idle connection (growth from half the fleet to all of it / {secondHalf}) | {perAddedConnection / 1024:0.0} KiB | |");
        text.AppendLine(culture, $"| load generator's own CPU (same machine) | {ownCpu * 100:0.0}% of a core | |");
        text.AppendLine();
        text.AppendLine("| operation | calls | calls/s | p50 ms | p99 ms | max ms |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach ((string operation, double[] values) in latencies.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.AppendLine(culture, $"| {operation} | {values.Length} | {values.Length / elapsed.TotalSeconds:0.0} | {Percentile(values, 0.50):0.00} | {Percentile(values, 0.99):0.00} | {values[^1]:0.00} |");
        }

        if (errors.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("| error | count |");
            text.AppendLine("|---|---:|");
            foreach ((string error, int count) in errors.OrderByDescending(p => p.Value))
            {
                text.AppendLine(culture, $"| {error.Replace('|', '/')} | {count} |");
            }
        }

        return text.ToString();
    }

    private static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
}
