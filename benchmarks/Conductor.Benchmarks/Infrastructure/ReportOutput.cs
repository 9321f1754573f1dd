namespace Conductor.Benchmarks.Infrastructure;

/// <summary>Where a mode's report goes: the console, and a file when one was asked for.</summary>
internal static class ReportOutput
{
    /// <summary>Prints the report and, if <paramref name="output"/> is given, writes it there too.</summary>
    /// <param name="text">The report.</param>
    /// <param name="output">The file to write, or <see langword="null"/>.</param>
    /// <returns>A task that completes when the report is written.</returns>
    public static async Task PrintAndSaveAsync(string text, string? output)
    {
        Console.WriteLine();
        Console.WriteLine(text);
        if (output is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            await File.WriteAllTextAsync(output, text).ConfigureAwait(false);
            Console.WriteLine($"Written to {output}");
        }
    }
}
