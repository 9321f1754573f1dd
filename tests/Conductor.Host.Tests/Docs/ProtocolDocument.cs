using System.Text.RegularExpressions;

namespace Conductor.Host.Tests.Docs;

/// <summary>docs/protocol.md, read from the repository, with the pieces the document tests check.</summary>
internal sealed partial class ProtocolDocument
{
    private ProtocolDocument(string path, string[] lines)
    {
        Path = path;
        Lines = lines;
    }

    public string Path { get; }

    public string[] Lines { get; }

    public static ProtocolDocument Load()
    {
        // The tests run from tests/Conductor.Host.Tests/bin/<configuration>/<tfm>: walk up to the repository root.
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Conductor.sln")))
            {
                string path = System.IO.Path.Combine(directory.FullName, "docs", "protocol.md");
                return new ProtocolDocument(path, File.ReadAllLines(path));
            }
        }

        throw new AssertFailedException($"No Conductor.sln above {AppContext.BaseDirectory}, so docs/protocol.md cannot be found.");
    }

    /// <summary>Returns the lines between <c>&lt;!-- name:begin --&gt;</c> and <c>&lt;!-- name:end --&gt;</c>.</summary>
    public string[] Region(string name)
    {
        int begin = Array.IndexOf(Lines, $"<!-- {name}:begin -->");
        int end = Array.IndexOf(Lines, $"<!-- {name}:end -->");
        Assert.IsTrue(begin >= 0 && end > begin, $"{Path} has no region '{name}' (<!-- {name}:begin --> ... <!-- {name}:end -->).");
        return Lines[(begin + 1)..end];
    }

    /// <summary>Returns the body rows of the markdown tables among <paramref name="lines"/> (no header or separator rows).</summary>
    public static IReadOnlyList<string> TableRows(IEnumerable<string> lines)
    {
        var rows = new List<string>();
        int position = 0;
        foreach (string line in lines)
        {
            position = line.StartsWith('|') ? position + 1 : 0;
            if (position == 2)
            {
                Assert.IsTrue(SeparatorRow().IsMatch(line.Trim()), $"The second row of a table must be its separator: {line}");
            }
            else if (position > 2)
            {
                rows.Add(line.Trim());
            }
        }

        return rows;
    }

    /// <summary>Splits a table row into its trimmed cells.</summary>
    public static string[] Cells(string row) => [.. row.Trim().Trim('|').Split('|').Select(c => c.Trim())];

    /// <summary>Returns the worked example's steps: who sends or receives, and the JSON text of the message.</summary>
    public IReadOnlyList<(string Connection, bool Sends, string Json)> WorkedExample()
    {
        int start = Array.FindIndex(Lines, l => l.StartsWith("## ", StringComparison.Ordinal) && l.Contains("Worked example", StringComparison.Ordinal));
        Assert.IsTrue(start >= 0, $"{Path} has no worked example section.");
        var steps = new List<(string, bool, string)>();
        (string Connection, bool Sends)? pending = null;
        for (int i = start + 1; i < Lines.Length && !Lines[i].StartsWith("## ", StringComparison.Ordinal); i++)
        {
            if (SendMarker().Match(Lines[i]) is { Success: true } send)
            {
                pending = (send.Groups["c"].Value, true);
            }
            else if (ReceiveMarker().Match(Lines[i]) is { Success: true } receive)
            {
                pending = (receive.Groups["c"].Value, false);
            }
            else if (Lines[i] == "```json" && pending is { } step)
            {
                int close = Array.IndexOf(Lines, "```", i + 1);
                steps.Add((step.Connection, step.Sends, string.Join('\n', Lines[(i + 1)..close]).Trim()));
                pending = null;
                i = close;
            }
        }

        return steps;
    }

    /// <summary>Returns the framing section's byte-for-byte frame: its declared length and its body.</summary>
    public (int ContentLength, string Body) FrameExample()
    {
        int open = Array.IndexOf(Lines, "```text");
        Assert.IsTrue(open >= 0, $"{Path} has no ```text frame example.");
        Match header = FrameHeader().Match(Lines[open + 1]);
        Assert.IsTrue(header.Success && Lines[open + 2] == "\\r\\n", $"The frame example must be 'Content-Length: N\\r\\n', '\\r\\n', body; it is: {Lines[open + 1]} / {Lines[open + 2]}");
        return (int.Parse(header.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture), Lines[open + 3]);
    }

    [GeneratedRegex(@"^\|(\s*:?-+:?\s*\|)+$")]
    private static partial Regex SeparatorRow();

    [GeneratedRegex(@"^\*\*(?<c>[\w-]+) →\*\*$")]
    private static partial Regex SendMarker();

    [GeneratedRegex(@"^\*\*← (?<c>[\w-]+)\*\*$")]
    private static partial Regex ReceiveMarker();

    [GeneratedRegex(@"^Content-Length: (?<n>[0-9]+)\\r\\n$")]
    private static partial Regex FrameHeader();
}
