using System.Globalization;
using System.Text;
using System.Text.Json;
using Conductor.Abstractions;
using Conductor.Abstractions.Compute;
using Conductor.Abstractions.Wire;

namespace Conductor.Host.Cli;

/// <summary>Prints results as aligned tables or as JSON.</summary>
internal static class CliOutput
{
    public static readonly string[] InstanceHeaders = ["ID", "NAME", "HOST", "VM STATE", "TASK STATE", "POWER", "VCPUS", "MEMORY MB", "DISK GB"];

    public static JsonSerializerOptions JsonOptions { get; } = new(ConductorWire.CreateJsonSerializerOptions()) { WriteIndented = true };

    public static void Json<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    public static void Instances(IReadOnlyList<Instance> instances) => Table(InstanceHeaders, instances.Select(InstanceRow));

    public static string[] InstanceRow(Instance i) =>
    [
        i.Id.ToString(), i.Name, i.Host, Word(i.VmState), Word(i.TaskState), Word(i.PowerState),
        Number(i.Flavor.Vcpus), Number(i.Flavor.MemoryMb), Number(i.Flavor.DiskGb),
    ];

    /// <summary>The width of each column: its longest cell, header included.</summary>
    public static int[] Widths(string[] headers, IReadOnlyList<string[]> rows) =>
        [.. headers.Select((h, c) => rows.Aggregate(h.Length, (width, row) => Math.Max(width, row[c].Length)))];

    /// <summary>Prints one row padded to the widths, with at least two spaces between columns.</summary>
    public static void Row(string[] row, int[] widths)
    {
        var line = new StringBuilder();
        for (int c = 0; c < row.Length; c++)
        {
            line.Append(c == row.Length - 1 ? row[c] : row[c].PadRight(Math.Max(widths[c], row[c].Length) + 2));
        }

        Console.Out.WriteLine(line.ToString());
    }

    public static void Services(IReadOnlyList<ServiceStatus> services)
    {
        Table(
            ["HOST", "BINARY", "VERSION", "STATE", "STATUS", "LAST HEARTBEAT (UTC)", "INSTANCES", "VCPUS USED/TOTAL", "MEMORY MB USED/TOTAL"],
            services.Select(s => new[]
            {
                s.Service.Host, s.Service.Binary, s.Service.Version, s.IsUp ? "up" : "down", s.Service.Disabled ? "disabled" : "enabled",
                s.Service.LastHeartbeatAtUtc.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture),
                Number(s.InstanceCount),
                s.Node is null ? "-" : $"{Number(s.Node.VcpusUsed)}/{Number(s.Node.VcpusTotal)}",
                s.Node is null ? "-" : $"{Number(s.Node.MemoryMbUsed)}/{Number(s.Node.MemoryMbTotal)}",
            }));
    }

    public static void Credentials(IReadOnlyList<Abstractions.Admin.CredentialInfo> credentials)
    {
        Table(
            ["NAME", "ROLE", "ISSUED (UTC)", "CONNECTIONS"],
            credentials.Select(c => new[]
            {
                c.Name, Word(c.Role), c.IssuedAtUtc.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture), Number(c.Connections),
            }));
    }

    public static int Error(ConductorException exception)
    {
        Console.Error.WriteLine("conductor: " + exception.Message);
        return exception.ErrorCode == ConductorErrorCodes.ConductorUnavailable ? 3 : 1;
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Word<TEnum>(TEnum value)
        where TEnum : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    private static void Table(string[] headers, IEnumerable<string[]> rows)
    {
        List<string[]> all = [.. rows];
        int[] widths = Widths(headers, all);
        Row(headers, widths);
        foreach (string[] row in all)
        {
            Row(row, widths);
        }
    }
}
