namespace Conductor.Processes;

/// <summary>Finds the <c>dotnet</c> executable that runs this process, to run the hosts' assemblies with the same runtime.</summary>
internal static class DotnetMuxer
{
    private static readonly Lazy<string> s_path = new(Find);

    /// <summary>Gets the full path of <c>dotnet</c>, or <c>dotnet</c> to look it up on PATH.</summary>
    public static string Path => s_path.Value;

    private static string Find()
    {
        string name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";

        // Run as 'dotnet app.dll', this process is the muxer itself.
        if (Environment.ProcessPath is { } self && string.Equals(System.IO.Path.GetFileName(self), name, StringComparison.OrdinalIgnoreCase))
        {
            return self;
        }

        // Run through an apphost (dotnet run, a test runner): the runtime lives in <root>/shared/Microsoft.NETCore.App/<version>/.
        string? runtimeDirectory = System.IO.Path.GetDirectoryName(typeof(object).Assembly.Location);
        if (runtimeDirectory is not null)
        {
            string candidate = System.IO.Path.GetFullPath(System.IO.Path.Combine(runtimeDirectory, "..", "..", "..", name));
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : name;
    }
}
