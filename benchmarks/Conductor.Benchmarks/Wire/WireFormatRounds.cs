using System.Diagnostics;
using System.Globalization;
using System.Text;
using Conductor.Abstractions.Compute;
using Conductor.Benchmarks.Infrastructure;
using Conductor.Benchmarks.Ratios;

namespace Conductor.Benchmarks.Wire;

/// <summary>
/// MessagePack against JSON in interleaved rounds (as <see cref="PairedRounds"/> does for issue 5's ratios): in each
/// round every call of <see cref="WireFormatBenchmarks"/> runs for a short window in both formats, one after another,
/// and each round yields its own MessagePack/JSON ratio per call and transport, of wall time and of CPU time (client
/// and server together: they share this process). Also counts the bytes on the wire per call in each format, and
/// times the same calls on the direct repository (no wire) for scale.
/// </summary>
internal static class WireFormatRounds
{
    private const string Direct = "Direct";

    private static readonly string[] s_calls = ["Get", "Update", "List_1000"];

    /// <summary>Runs the rounds and prints (and writes, when given a path) the tables.</summary>
    /// <param name="rounds">How many rounds.</param>
    /// <param name="window">How long each benchmark runs in each round.</param>
    /// <param name="warmup">How long each benchmark runs before the first round.</param>
    /// <param name="output">Where to write the tables, or <see langword="null"/>.</param>
    /// <returns>A task that completes when the tables are written.</returns>
    public static async Task RunAsync(int rounds, TimeSpan window, TimeSpan warmup, string? output)
    {
        var suites = new List<(Transport Transport, WireFormatBenchmarks Benchmarks)>();
        try
        {
            foreach (Transport transport in new[] { Transport.Pipe, Transport.Tcp })
            {
                var benchmarks = new WireFormatBenchmarks { Transport = transport };
                await benchmarks.SetupAsync().ConfigureAwait(false);
                suites.Add((transport, benchmarks));
            }

            string bytes = await CountBytesAsync(suites[0].Benchmarks).ConfigureAwait(false);
            var entries = new List<(string Key, Func<Task> Run)>();
            WireFormatBenchmarks first = suites[0].Benchmarks;
            IInstanceRepository direct = first.Direct;
            entries.Add(($"Get|{Direct}|", () => direct.GetAsync(first.InstanceId, CancellationToken.None)));
            entries.Add(($"List_1000|{Direct}|", () => direct.ListAsync(WireFormatBenchmarks.FullPage, CancellationToken.None)));
            foreach ((Transport transport, WireFormatBenchmarks b) in suites)
            {
                foreach (string call in s_calls)
                {
                    entries.Add(($"{call}|{transport}|{WireFormat.Json}", Body(b, WireFormat.Json, call)));
                    entries.Add(($"{call}|{transport}|{WireFormat.MessagePack}", Body(b, WireFormat.MessagePack, call)));
                }
            }

            foreach ((string key, Func<Task> run) in entries)
            {
                await MeasureAsync(run, warmup).ConfigureAwait(false);
                Console.WriteLine($"// warmed up {key}");
            }

            Dictionary<string, List<(double Wall, double Cpu)>> times = entries.ToDictionary(e => e.Key, _ => new List<(double Wall, double Cpu)>());
            for (int round = 0; round < rounds; round++)
            {
                for (int i = 0; i < entries.Count; i++)
                {
                    (string key, Func<Task> run) = entries[(i + round) % entries.Count];
                    times[key].Add(await MeasureAsync(run, window).ConfigureAwait(false));
                }

                Console.WriteLine($"// round {round + 1}/{rounds} done");
            }

            string text = Table(times, rounds, window) + Environment.NewLine + bytes;
            await ReportOutput.PrintAndSaveAsync(text, output).ConfigureAwait(false);
        }
        finally
        {
            foreach ((_, WireFormatBenchmarks b) in suites)
            {
                await b.CleanupAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<(double Wall, double Cpu)> MeasureAsync(Func<Task> run, TimeSpan window)
    {
        long done = 0;
        TimeSpan cpuBefore = Environment.CpuUsage.TotalTime;
        var clock = Stopwatch.StartNew();
        do
        {
            await run().ConfigureAwait(false);
            done++;
        }
        while (clock.Elapsed < window);
        double cpu = (Environment.CpuUsage.TotalTime - cpuBefore).TotalNanoseconds;
        return (clock.Elapsed.TotalNanoseconds / done, cpu / done);
    }

    private static Func<Task> Body(WireFormatBenchmarks b, WireFormat format, string call) => (format, call) switch
    {
        (WireFormat.Json, "Get") => b.Json_Get,
        (WireFormat.Json, "Update") => b.Json_Update,
        (WireFormat.Json, _) => b.Json_List_1000,
        (_, "Get") => b.MessagePack_Get,
        (_, "Update") => b.MessagePack_Update,
        _ => b.MessagePack_List_1000,
    };

    private static string Table(Dictionary<string, List<(double Wall, double Cpu)>> times, int rounds, TimeSpan window)
    {
        var culture = CultureInfo.InvariantCulture;
        var table = new StringBuilder();
        table.AppendLine(culture, $"## MessagePack against JSON, {rounds} interleaved rounds of {window.TotalMilliseconds:0} ms per benchmark");
        table.AppendLine();
        table.AppendLine("Wall time and CPU time (client and server together) per call, medians of the rounds (quartiles); the ratios are MessagePack/JSON per round.");
        table.AppendLine();
        table.AppendLine("| call | transport | JSON wall us | MessagePack wall us | wall ratio: median (quartiles) | JSON CPU us | MessagePack CPU us | CPU ratio: median (quartiles) |");
        table.AppendLine("|---|---|---:|---:|---|---:|---:|---|");
        foreach (Transport transport in new[] { Transport.Pipe, Transport.Tcp })
        {
            foreach (string call in s_calls)
            {
                List<(double Wall, double Cpu)> json = times[$"{call}|{transport}|{WireFormat.Json}"];
                List<(double Wall, double Cpu)> pack = times[$"{call}|{transport}|{WireFormat.MessagePack}"];
                table.AppendLine(culture, $"| {call} | {transport} | {Micros(json, t => t.Wall)} | {Micros(pack, t => t.Wall)} | {Ratio(json, pack, t => t.Wall)} | {Micros(json, t => t.Cpu)} | {Micros(pack, t => t.Cpu)} | {Ratio(json, pack, t => t.Cpu)} |");
            }
        }

        table.AppendLine();
        table.AppendLine("The same calls on the direct repository, in process (no wire, no serialization):");
        table.AppendLine();
        table.AppendLine("| call | wall us | CPU us |");
        table.AppendLine("|---|---:|---:|");
        foreach (string call in new[] { "Get", "List_1000" })
        {
            List<(double Wall, double Cpu)> direct = times[$"{call}|{Direct}|"];
            table.AppendLine(culture, $"| {call} | {Micros(direct, t => t.Wall)} | {Micros(direct, t => t.Cpu)} |");
        }

        return table.ToString();
    }

    private static string Micros(List<(double Wall, double Cpu)> samples, Func<(double Wall, double Cpu), double> pick)
    {
        double[] sorted = [.. samples.Select(pick).Order()];
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{PairedRounds.Quantile(sorted, 0.5) / 1000:0.0} ({PairedRounds.Quantile(sorted, 0.25) / 1000:0.0} - {PairedRounds.Quantile(sorted, 0.75) / 1000:0.0})");
    }

    private static string Ratio(List<(double Wall, double Cpu)> json, List<(double Wall, double Cpu)> pack, Func<(double Wall, double Cpu), double> pick)
    {
        double[] ratios = [.. json.Zip(pack, (j, p) => pick(p) / pick(j)).Order()];
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{PairedRounds.Quantile(ratios, 0.5):0.00}x ({PairedRounds.Quantile(ratios, 0.25):0.00}x - {PairedRounds.Quantile(ratios, 0.75):0.00}x)");
    }

    private static async Task<string> CountBytesAsync(WireFormatBenchmarks b)
    {
        const int Calls = 20;
        var culture = CultureInfo.InvariantCulture;
        var table = new StringBuilder();
        table.AppendLine("Bytes on the wire per call (framing included), counted on the client's stream:");
        table.AppendLine();
        table.AppendLine("| call | JSON request / reply bytes | MessagePack request / reply bytes | MessagePack/JSON (both ways) |");
        table.AppendLine("|---|---:|---:|---:|");
        foreach (string call in s_calls)
        {
            var counts = new Dictionary<WireFormat, (double Sent, double Received)>();
            foreach (WireFormat format in new[] { WireFormat.Json, WireFormat.MessagePack })
            {
                Func<Task> run = Body(b, format, call);
                await run().ConfigureAwait(false);
                CountingStream wire = b.Channel(format).Wire;
                wire.Reset();
                for (int i = 0; i < Calls; i++)
                {
                    await run().ConfigureAwait(false);
                }

                counts[format] = (wire.Written / (double)Calls, wire.BytesRead / (double)Calls);
            }

            (double jsonSent, double jsonReceived) = counts[WireFormat.Json];
            (double packSent, double packReceived) = counts[WireFormat.MessagePack];
            table.AppendLine(culture, $"| {call} | {jsonSent:N0} / {jsonReceived:N0} | {packSent:N0} / {packReceived:N0} | {(packSent + packReceived) / (jsonSent + jsonReceived):0.00}x |");
        }

        return table.ToString();
    }
}
