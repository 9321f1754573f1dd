using System.Text.Json;
using Conductor.Abstractions.Compute;

namespace Conductor.Host.Cli;

/// <summary>
/// Prints <c>instances list</c> one page at a time, so the command line holds a single page however large the
/// cluster is: a JSON array written element by element, or a table whose column widths come from the first page
/// (later rows widen a column where they must, keeping two spaces between columns).
/// </summary>
/// <param name="json">Whether to print JSON instead of a table.</param>
internal sealed class InstanceListPrinter(bool json)
{
    private int _printed;
    private int[]? _widths;

    /// <summary>Prints one page of instances.</summary>
    /// <param name="page">The page's instances.</param>
    public void Add(IReadOnlyList<Instance> page)
    {
        if (json)
        {
            foreach (Instance instance in page)
            {
                Console.Out.Write(_printed++ == 0 ? "[\n" : ",\n");
                Console.Out.Write(JsonSerializer.Serialize(instance, CliOutput.JsonOptions));
            }

            return;
        }

        List<string[]> rows = [.. page.Select(CliOutput.InstanceRow)];
        if (_widths is null)
        {
            _widths = CliOutput.Widths(CliOutput.InstanceHeaders, rows);
            CliOutput.Row(CliOutput.InstanceHeaders, _widths);
        }

        foreach (string[] row in rows)
        {
            CliOutput.Row(row, _widths);
            _printed++;
        }
    }

    /// <summary>Ends the output: closes the JSON array, or prints the header of an empty table.</summary>
    public void Complete()
    {
        if (json)
        {
            Console.Out.WriteLine(_printed == 0 ? "[]" : "\n]");
        }
        else if (_widths is null)
        {
            CliOutput.Row(CliOutput.InstanceHeaders, CliOutput.Widths(CliOutput.InstanceHeaders, []));
        }
    }
}
