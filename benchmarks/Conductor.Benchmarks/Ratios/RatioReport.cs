using System.Text;
using BenchmarkDotNet.Mathematics;
using BenchmarkDotNet.Reports;

namespace Conductor.Benchmarks.Ratios;

/// <summary>
/// Turns the BenchmarkDotNet benchmarks that ran into issue 5's ratios, from medians, with a range from the quartiles
/// (the product's first quartile over the floor's third, and the other way round). The benchmarks run one after
/// another, so on a shared machine load changes between them move these ratios; <see cref="PairedRounds"/> measures
/// the same ratios in interleaved rounds for that reason.
/// </summary>
internal static class RatioReport
{
    /// <summary>Prints the ratio table and writes it next to BenchmarkDotNet's results as <c>ratios.md</c>.</summary>
    /// <param name="summaries">The summaries of the run.</param>
    public static void Write(IReadOnlyList<Summary> summaries)
    {
        Dictionary<string, Statistics> measured = [];
        foreach (BenchmarkReport report in summaries.SelectMany(s => s.Reports))
        {
            if (report.ResultStatistics is { } statistics)
            {
                measured[Key(report)] = statistics;
            }
        }

        var table = new StringBuilder();
        table.AppendLine("| target | product | floor | median | range (quartiles) | target | verdict |");
        table.AppendLine("|---|---|---|---:|---|---|---|");
        int rows = 0;
        foreach (RatioSpec spec in RatioSpec.All.Where(s => s.Keys.All(measured.ContainsKey)))
        {
            double median = spec.Value(k => measured[k].Median);

            // The spread's ends: the numerator's quartiles against the denominator's opposite ones.
            double low = spec.Value(k => spec.Numerator.Contains(k) ? measured[k].Q1 : measured[k].Q3);
            double high = spec.Value(k => spec.Numerator.Contains(k) ? measured[k].Q3 : measured[k].Q1);
            (low, high) = (Math.Min(low, high), Math.Max(low, high));
            table.AppendLine($"| {spec.Name} | {spec.Product} | {spec.Floor} | {spec.Format(median)} | {spec.Format(low)} - {spec.Format(high)} | {spec.TargetText} | {spec.Verdict(median, low, high)} |");
            rows++;
        }

        if (rows == 0)
        {
            return;
        }

        string text = "## Ratios (issue 5), from BenchmarkDotNet's medians\n\n" + table;
        Console.WriteLine();
        Console.WriteLine(text);
        string? directory = summaries.FirstOrDefault()?.ResultsDirectoryPath;
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
            string path = Path.Combine(directory, "ratios.md");
            File.WriteAllText(path, text);
            Console.WriteLine($"Ratios written to {path}");
        }
    }

    private static string Key(BenchmarkReport report)
    {
        string name = report.BenchmarkCase.Descriptor.Type.Name + "." + report.BenchmarkCase.Descriptor.WorkloadMethod.Name;
        string parameters = string.Join(",", report.BenchmarkCase.Parameters.Items.Select(p => p.Value?.ToString()));
        return parameters.Length == 0 ? name : $"{name}({parameters})";
    }
}
