using System.Text.Json;

namespace Conductor.Host.Rpc;

/// <summary>
/// <c>conductor.endpoints.json</c> in the data directory: where a running conductor listens. Written once its
/// listeners are bound (so its presence means "ready"), removed on stop. The CLI reads it to find the conductor.
/// </summary>
internal sealed record EndpointsFile
{
    public const string FileName = "conductor.endpoints.json";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Gets the TCP endpoint (<c>tcp://address:port</c>), if listening on TCP.</summary>
    public string? Tcp { get; init; }

    /// <summary>Gets the Unix socket endpoint (<c>unix:/path</c>), if listening on one.</summary>
    public string? Unix { get; init; }

    /// <summary>Gets the conductor's process id.</summary>
    public int ProcessId { get; init; }

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    public static EndpointsFile? TryRead(string dataDirectory)
    {
        try
        {
            return JsonSerializer.Deserialize<EndpointsFile>(File.ReadAllText(PathIn(dataDirectory)), s_json);
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Write(string dataDirectory)
    {
        // Write then rename, so a reader never sees half a file.
        string path = PathIn(dataDirectory);
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, s_json));
        File.Move(temporary, path, overwrite: true);
    }
}
