using System.Globalization;
using System.Text;
using Conductor.Benchmarks.Infrastructure;
using Conductor.Benchmarks.Ratios;

namespace Conductor.Benchmarks.Wire;

/// <summary>
/// MessagePack against JSON in interleaved rounds (as <see cref="PairedRounds"/> does for issue 5's ratios): in each
/// round every call of <see cref="WireFormatBenchmarks"/> runs for a short window in both formats, one after another,
/// and each round yields its own MessagePack/JSON ratio per call and transport. Also counts the bytes on the wire
/// per call in each format.
/// </summary>
internal static class WireFormatRounds
{
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
                await PairedRounds.TimeAsync(run, 1, warmup).ConfigureAwait(false);
                Console.WriteLine($"// warmed up {key}");
            }

            Dictionary<string, List<double>> times = entries.ToDictionary(e => e.Key, _ => new List<double>());
            for (int round = 0; round < rounds; round++)
            {
                for (int i = 0; i < entries.Count; i++)
                {
                    (string key, Func<Task> run) = entries[(i + round) % entries.Count];
                    times[key].Add(await PairedRounds.TimeAsync(run, 1, window).ConfigureAwait(false));
                }

                Console.WriteLine($"// round {round + 1}/{rounds} done");
            }

            string text = Table(times, rounds, window) + Environment.NewLine + bytes;
            Console.WriteLine();
            Console.WriteLine(text);
            if (output is not null)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
                await File.WriteAllTextAsync(output, text).ConfigureAwait(false);
                Console.WriteLine($"Written to {output}");
            }
        }
        finally
        {
            foreach ((_, WireFormatBenchmarks b) in suites)
            {
                await b.CleanupAsync().ConfigureAwait(false);
            }
        }
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

    private static string Table(Dictionary<string, List<double>> times, int rounds, TimeSpan window)
    {
        var culture = CultureInfo.InvariantCulture;
        var table = new StringBuilder();
        table.AppendLine(culture, $"## MessagePack against JSON, {rounds} interleaved rounds of {window.TotalMilliseconds:0} ms per benchmark");
        table.AppendLine();
        table.AppendLine("| call | transport | JSON us/op (median, quartiles) | MessagePack us/op (median, quartiles) | MessagePack/JSON, median of rounds | quartiles of rounds | min - max |");
        table.AppendLine("|---|---|---|---|---:|---|---|");
        foreach (Transport transport in new[] { Transport.Pipe, Transport.Tcp })
        {
            foreach (string call in s_calls)
            {
                List<double> json = times[$"{call}|{transport}|{WireFormat.Json}"];
                List<double> pack = times[$"{call}|{transport}|{WireFormat.MessagePack}"];
                double[] ratios = [.. Enumerable.Range(0, rounds).Select(r => pack[r] / json[r]).Order()];
                table.AppendLine(culture, $"| {call} | {transport} | {Micros(json)} | {Micros(pack)} | {PairedRounds.Quantile(ratios, 0.5):0.00}x | {PairedRounds.Quantile(ratios, 0.25):0.00}x - {PairedRounds.Quantile(ratios, 0.75):0.00}x | {ratios[0]:0.00}x - {ratios[^1]:0.00}x |");
            }
        }

        return table.ToString();
    }

    private static string Micros(List<double> nanoseconds)
    {
        double[] sorted = [.. nanoseconds.Order()];
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{PairedRounds.Quantile(sorted, 0.5) / 1000:0.0} ({PairedRounds.Quantile(sorted, 0.25) / 1000:0.0} - {PairedRounds.Quantile(sorted, 0.75) / 1000:0.0})");
    }

    private static async Task<string> CountBytesAsync(WireFormatBenchmarks b)
    {
        const int Calls = 20;
        var culture = CultureInfo.InvariantCulture;
        var table = new StringBuilder();
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
