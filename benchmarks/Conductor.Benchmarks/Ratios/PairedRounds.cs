using System.Diagnostics;
using System.Globalization;
using System.Text;
using Conductor.Benchmarks.Infrastructure;

namespace Conductor.Benchmarks.Ratios;

/// <summary>
/// Measures issue 5's ratios in interleaved rounds: every benchmark a target needs runs for a short window in each
/// round, one after another, and each round yields its own ratios. On a machine shared with other work the load
/// changes from second to second; a ratio taken within one round compares product and floor under nearly the same
/// load, and the spread over many rounds says how far the noise reaches. The same benchmark classes and methods as the
/// BenchmarkDotNet run are used, in this one process.
/// </summary>
internal sealed class PairedRounds
{
    private readonly List<(string Key, int Operations, Func<Task> Run)> _benchmarks = [];
    private readonly List<Func<Task>> _cleanups = [];

    /// <summary>Runs the rounds and prints (and writes, when given a path) the ratio table.</summary>
    /// <param name="rounds">How many rounds.</param>
    /// <param name="window">How long each benchmark runs in each round.</param>
    /// <param name="warmup">How long each benchmark runs before the first round.</param>
    /// <param name="output">Where to write the table, or <see langword="null"/>.</param>
    /// <returns>A task that completes when the table is written.</returns>
    public static async Task RunAsync(int rounds, TimeSpan window, TimeSpan warmup, string? output)
    {
        var run = new PairedRounds();
        try
        {
            HashSet<string> needed = [.. RatioSpec.All.SelectMany(s => s.Keys)];
            await run.SetUpAsync(keep: needed.Contains).ConfigureAwait(false);
            await run.MeasureAsync(rounds, window, warmup, output).ConfigureAwait(false);
        }
        finally
        {
            foreach (Func<Task> cleanup in run._cleanups)
            {
                await cleanup().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Runs one benchmark on its own for a while and prints its time per operation: a steady load to attach a
    /// profiler to (<c>perf record</c>, <c>dotnet-trace</c>, <c>dotnet-counters</c>).
    /// </summary>
    /// <param name="key">The benchmark, as <c>Class.Method(Params)</c>.</param>
    /// <param name="duration">How long to run it after a 3 second warm-up.</param>
    /// <returns>A task that completes when it has run.</returns>
    public static async Task LoopAsync(string key, TimeSpan duration)
    {
        var run = new PairedRounds();
        try
        {
            await run.SetUpAsync(keep: k => k == key).ConfigureAwait(false);
            if (run._benchmarks.Count == 0)
            {
                throw new ArgumentException($"There is no benchmark '{key}' in the ratio set. Use Class.Method(Params), for example InstanceCallBenchmarks.Get(Tcp).", nameof(key));
            }

            (_, int operations, Func<Task> body) = run._benchmarks[0];
            await TimeAsync(body, operations, TimeSpan.FromSeconds(3)).ConfigureAwait(false);
            Console.WriteLine($"// {key}: warmed up; running for {duration.TotalSeconds:0} s (process {Environment.ProcessId})");
            TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            int gen0Before = GC.CollectionCount(0);
            (double nanoseconds, long done) = await CountAsync(body, operations, duration).ConfigureAwait(false);
            double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalNanoseconds / done;
            double allocated = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / (double)done;
            int gen0 = GC.CollectionCount(0) - gen0Before;
            Console.WriteLine($"// {key}: {nanoseconds / 1000:0.0} us/op, {cpu / 1000:0.0} us of CPU/op, {allocated / 1024:0.0} KiB allocated/op, {gen0} gen0 collections (client and conductor together)");
        }
        finally
        {
            foreach (Func<Task> cleanup in run._cleanups)
            {
                await cleanup().ConfigureAwait(false);
            }
        }
    }

    internal static double Quantile(double[] sorted, double q)
    {
        double position = (sorted.Length - 1) * q;
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((sorted[above] - sorted[below]) * (position - below));
    }

    internal static async Task<double> TimeAsync(Func<Task> run, int operations, TimeSpan window) =>
        (await CountAsync(run, operations, window).ConfigureAwait(false)).Nanoseconds;

    private static async Task<(double Nanoseconds, long Operations)> CountAsync(Func<Task> run, int operations, TimeSpan window)
    {
        long done = 0;
        var clock = Stopwatch.StartNew();
        do
        {
            await run().ConfigureAwait(false);
            done += operations;
        }
        while (clock.Elapsed < window);
        return (clock.Elapsed.TotalNanoseconds / done, done);
    }

    private async Task SetUpAsync(Func<string, bool> keep)
    {
        const int Batch = InstanceCallBenchmarks.Callers * InstanceCallBenchmarks.CallsEach;
        const int ManyBatch = InstanceCallBenchmarks.ManyCallers * InstanceCallBenchmarks.CallsEach;
        foreach (Transport transport in new[] { Transport.Pipe, Transport.Tcp })
        {
            var layer = new ProxyLayerBenchmarks { Transport = transport };
            await layer.SetupAsync().ConfigureAwait(false);
            _cleanups.Add(layer.CleanupAsync);
            Add($"{nameof(ProxyLayerBenchmarks)}.{nameof(layer.Attach_Get)}({transport})", 1, layer.Attach_Get);
            Add($"{nameof(ProxyLayerBenchmarks)}.{nameof(layer.Castle_Get)}({transport})", 1, layer.Castle_Get);
        }

        foreach (Transport transport in new[] { Transport.Direct, Transport.Tcp })
        {
            var calls = new InstanceCallBenchmarks { Transport = transport };
            await calls.SetupAsync().ConfigureAwait(false);
            _cleanups.Add(calls.CleanupAsync);
            string prefix = nameof(InstanceCallBenchmarks) + ".";
            Add($"{prefix}{nameof(calls.Get)}({transport})", 1, calls.Get);
            Add($"{prefix}{nameof(calls.Get_16_callers)}({transport})", Batch, calls.Get_16_callers);
            Add($"{prefix}{nameof(calls.Update)}({transport})", 1, calls.Update);
            Add($"{prefix}{nameof(calls.Update_16_callers)}({transport})", Batch, calls.Update_16_callers);
            Add($"{prefix}{nameof(calls.Get_64_callers)}({transport})", ManyBatch, calls.Get_64_callers);
            Add($"{prefix}{nameof(calls.Update_64_callers)}({transport})", ManyBatch, calls.Update_64_callers);
        }

        var connections = new ConnectionsBenchmarks();
        await connections.SetupAsync().ConfigureAwait(false);
        _cleanups.Add(connections.CleanupAsync);
        Add($"{nameof(ConnectionsBenchmarks)}.{nameof(connections.Get_16_connections)}", Batch, connections.Get_16_connections);
        Add($"{nameof(ConnectionsBenchmarks)}.{nameof(connections.Update_16_connections)}", Batch, connections.Update_16_connections);

        var uncached = new UncachedReadBenchmarks();
        await uncached.SetupAsync().ConfigureAwait(false);
        _cleanups.Add(uncached.CleanupAsync);
        Add($"{nameof(UncachedReadBenchmarks)}.{nameof(uncached.Get_from_LiteDb)}", 1, uncached.Get_from_LiteDb);
        Add($"{nameof(UncachedReadBenchmarks)}.{nameof(uncached.Get_16_callers_from_LiteDb)}", Batch, uncached.Get_16_callers_from_LiteDb);

        var floors = new FloorBenchmarks();
        await floors.SetupAsync().ConfigureAwait(false);
        _cleanups.Add(floors.CleanupAsync);
        string floor = nameof(FloorBenchmarks) + ".";
        Add(floor + nameof(floors.Tcp_round_trip), 1, floors.Tcp_round_trip);
        Add(floor + nameof(floors.LiteDb_FindById), 1, () => Task.FromResult(floors.LiteDb_FindById()));
        Add(floor + nameof(floors.LiteDb_FindById_16_callers), Batch, floors.LiteDb_FindById_16_callers);
        Add(floor + nameof(floors.LiteDb_FindById_64_callers), ManyBatch, floors.LiteDb_FindById_64_callers);
        Add(floor + nameof(floors.LiteDb_Update), 1, () => Task.FromResult(floors.LiteDb_Update()));
        Add(floor + nameof(floors.Fsync_page), 1, () =>
        {
            floors.Fsync_page();
            return Task.CompletedTask;
        });
        Add(floor + nameof(floors.Tcp_round_trip_with_update_and_fsync), 1, floors.Tcp_round_trip_with_update_and_fsync);

        _benchmarks.RemoveAll(b => !keep(b.Key));
    }

    private void Add(string key, int operations, Func<Task> run) => _benchmarks.Add((key, operations, run));

    private async Task MeasureAsync(int rounds, TimeSpan window, TimeSpan warmup, string? output)
    {
        foreach ((string key, int operations, Func<Task> run) in _benchmarks)
        {
            await TimeAsync(run, operations, warmup).ConfigureAwait(false);
            Console.WriteLine($"// warmed up {key}");
        }

        Dictionary<string, List<double>> times = _benchmarks.ToDictionary(b => b.Key, _ => new List<double>());
        for (int round = 0; round < rounds; round++)
        {
            // Rotate the order, so that no benchmark always follows the same one.
            for (int i = 0; i < _benchmarks.Count; i++)
            {
                (string key, int operations, Func<Task> run) = _benchmarks[(i + round) % _benchmarks.Count];
                times[key].Add(await TimeAsync(run, operations, window).ConfigureAwait(false));
            }

            Console.WriteLine($"// round {round + 1}/{rounds} done");
        }

        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"## Ratios (issue 5), {rounds} interleaved rounds of {window.TotalMilliseconds:0} ms per benchmark");
        table.AppendLine();
        table.AppendLine("| target | product | floor | median of rounds | quartiles of rounds | min - max | target | verdict |");
        table.AppendLine("|---|---|---|---:|---|---|---|---|");
        foreach (RatioSpec spec in RatioSpec.All)
        {
            double[] values = [.. Enumerable.Range(0, rounds).Select(r => spec.Value(k => times[k][r])).Order()];
            double median = Quantile(values, 0.5);
            double q1 = Quantile(values, 0.25);
            double q3 = Quantile(values, 0.75);
            table.AppendLine(CultureInfo.InvariantCulture, $"| {spec.Name} | {spec.Product} | {spec.Floor} | {spec.Format(median)} | {spec.Format(q1)} - {spec.Format(q3)} | {spec.Format(values[0])} - {spec.Format(values[^1])} | {spec.TargetText} | {spec.Verdict(median, q1, q3)} |");
        }

        table.AppendLine();
        table.AppendLine("| benchmark | median of rounds, us/op | quartiles, us/op |");
        table.AppendLine("|---|---:|---|");
        foreach ((string key, List<double> values) in times)
        {
            double[] sorted = [.. values.Order()];
            table.AppendLine(CultureInfo.InvariantCulture, $"| {key} | {Quantile(sorted, 0.5) / 1000:0.0} | {Quantile(sorted, 0.25) / 1000:0.0} - {Quantile(sorted, 0.75) / 1000:0.0} |");
        }

        string text = table.ToString();
        await ReportOutput.PrintAndSaveAsync(text, output).ConfigureAwait(false);
    }
}
