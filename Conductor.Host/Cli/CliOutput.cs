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
    private static readonly JsonSerializerOptions s_json = new(ConductorWire.CreateJsonSerializerOptions()) { WriteIndented = true };

    public static void Json<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, s_json));

    public static void Instances(IReadOnlyList<Instance> instances)
    {
        Table(
            ["ID", "NAME", "HOST", "VM STATE", "TASK STATE", "POWER", "VCPUS", "MEMORY MB", "DISK GB"],
            instances.Select(i => new[]
            {
                i.Id.ToString(), i.Name, i.Host, Word(i.VmState), Word(i.TaskState), Word(i.PowerState),
                Number(i.Flavor.Vcpus), Number(i.Flavor.MemoryMb), Number(i.Flavor.DiskGb),
            }));
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
        List<string[]> all = [headers, .. rows];
        int[] widths = headers.Select((_, c) => all.Max(r => r[c].Length)).ToArray();
        var line = new StringBuilder();
        foreach (string[] row in all)
        {
            line.Clear();
            for (int c = 0; c < row.Length; c++)
            {
                line.Append(c == row.Length - 1 ? row[c] : row[c].PadRight(widths[c] + 2));
            }

            Console.Out.WriteLine(line.ToString());
        }
    }
}
