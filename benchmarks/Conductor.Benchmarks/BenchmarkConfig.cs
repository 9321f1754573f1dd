using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using Perfolizer.Horology;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;

namespace Conductor.Benchmarks;

/// <summary>
/// The run's settings: long warm-up (these paths were 3-8x slower after half a second of warm-up), many short
/// iterations so that a noisy neighbour on a shared machine shows as spread rather than as a wrong mean, medians and
/// throughput in the table, and allocations per call. A job given on the command line (<c>--job short</c>) replaces
/// the steady job, for a quick smoke run.
/// </summary>
public sealed class BenchmarkConfig : ManualConfig
{
    /// <summary>Initializes a new instance of the <see cref="BenchmarkConfig"/> class.</summary>
    /// <param name="steadyJob">Whether to use the steady job; <see langword="false"/> leaves the job to the command line.</param>
    public BenchmarkConfig(bool steadyJob)
    {
        Add(DefaultConfig.Instance);
        if (steadyJob)
        {
            // BenchmarkDotNet prefers a default job given here over --job, so it is only added when --job is absent.
            AddJob(Job.Default
                .WithWarmupCount(12)
                .WithIterationCount(30)
                .WithIterationTime(TimeInterval.FromMilliseconds(250))
                .WithId("Steady")
                .AsDefault());
        }

        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(StatisticColumn.Median, StatisticColumn.P95, StatisticColumn.OperationsPerSecond);
        WithSummaryStyle(SummaryStyle.Default.WithTimeUnit(TimeUnit.Microsecond));
    }
}
