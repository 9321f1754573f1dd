using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Conductor.Benchmarks;

/// <summary>Runs the benchmarks picked by the command line, then writes the ratio table from what ran.</summary>
internal static class Program
{
    private static void Main(string[] args)
    {
        bool jobGiven = args.Any(a => a is "--job" or "-j" || a.StartsWith("--job=", StringComparison.Ordinal));
        IReadOnlyList<Summary> summaries = [.. BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, new BenchmarkConfig(steadyJob: !jobGiven))];
        RatioReport.Write(summaries);
    }
}
