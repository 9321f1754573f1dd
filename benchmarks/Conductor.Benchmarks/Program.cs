using System.Globalization;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Conductor.Benchmarks.Listing;
using Conductor.Benchmarks.Ratios;
using Conductor.Benchmarks.Wire;

namespace Conductor.Benchmarks;

/// <summary>
/// Runs the BenchmarkDotNet benchmarks picked by the command line and then the ratio table from what ran; or, with
/// <c>ratios</c> as the first argument, issue 5's ratios in interleaved rounds (<c>--rounds</c>, <c>--window-ms</c>,
/// <c>--warmup-ms</c>, <c>--out</c>); or, with <c>wire</c>, MessagePack against JSON in interleaved rounds (same
/// options); or, with <c>listing</c>, every instance of a real conductor listed through the proxy and the CLI with
/// their memory sampled (<c>--sizes</c>, <c>--conductor-heap-limit-mb</c>, <c>--gcdump</c>, <c>--out</c>); or, with <c>loop Class.Method(Params)</c>, one benchmark alone for
/// <c>--seconds</c>, to profile.
/// </summary>
internal static class Program
{
    private static async Task Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "ratios")
        {
            await PairedRounds.RunAsync(
                rounds: Option(args, "--rounds", 30),
                window: TimeSpan.FromMilliseconds(Option(args, "--window-ms", 250)),
                warmup: TimeSpan.FromMilliseconds(Option(args, "--warmup-ms", 3000)),
                output: OptionText(args, "--out") ?? Path.Combine("BenchmarkDotNet.Artifacts", "results", "paired-ratios.md")).ConfigureAwait(false);
            return;
        }

        if (args.Length > 0 && args[0] == "wire")
        {
            await WireFormatRounds.RunAsync(
                rounds: Option(args, "--rounds", 20),
                window: TimeSpan.FromMilliseconds(Option(args, "--window-ms", 250)),
                warmup: TimeSpan.FromMilliseconds(Option(args, "--warmup-ms", 2000)),
                output: OptionText(args, "--out") ?? Path.Combine("BenchmarkDotNet.Artifacts", "results", "wire-formats.md")).ConfigureAwait(false);
            return;
        }

        if (args.Length > 2 && args[0] == ListingSeed.Verb)
        {
            ListingSeed.Seed(args[1], int.Parse(args[2], CultureInfo.InvariantCulture));
            return;
        }

        if (args.Length > 0 && args[0] == "listing")
        {
            await ListingRun.RunAsync(
                sizes: [.. (OptionText(args, "--sizes") ?? "1000,10000,100000").Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture))],
                heapLimitMb: Option(args, "--conductor-heap-limit-mb", 0),
                output: OptionText(args, "--out") ?? Path.Combine("BenchmarkDotNet.Artifacts", "results", "listing.md"),
                gcdumpDirectory: OptionText(args, "--gcdump")).ConfigureAwait(false);
            return;
        }

        if (args.Length > 1 && args[0] == "loop")
        {
            await PairedRounds.LoopAsync(args[1], TimeSpan.FromSeconds(Option(args, "--seconds", 20))).ConfigureAwait(false);
            return;
        }

        bool jobGiven = args.Any(a => a is "--job" or "-j" || a.StartsWith("--job=", StringComparison.Ordinal));
        IReadOnlyList<Summary> summaries = [.. BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, new BenchmarkConfig(steadyJob: !jobGiven))];
        RatioReport.Write(summaries);
    }

    private static int Option(string[] args, string name, int fallback) =>
        OptionText(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static string? OptionText(string[] args, string name)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
