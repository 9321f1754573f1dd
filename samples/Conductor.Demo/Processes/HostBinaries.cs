using System.Reflection;

namespace Conductor.Demo.Processes;

/// <summary>
/// Where the build put the conductor's and the compute host's assemblies. The demo project builds both hosts before
/// itself and stamps their paths into its assembly (see <c>Conductor.Demo.csproj</c>), so these are exactly the
/// binaries of this build, in its configuration.
/// </summary>
/// <param name="ConductorHost">The full path of <c>Conductor.Host.dll</c>.</param>
/// <param name="ComputeHost">The full path of <c>Compute.Host.dll</c>.</param>
internal sealed record HostBinaries(string ConductorHost, string ComputeHost)
{
    private const string MetadataPrefix = "HostAssembly:";

    /// <summary>Reads the hosts' paths stamped into this assembly and checks that both files exist.</summary>
    /// <returns>The paths.</returns>
    /// <exception cref="FileNotFoundException">A host's assembly is missing: the message says how to build it.</exception>
    public static HostBinaries Locate()
    {
        Dictionary<string, string?> stamped = typeof(HostBinaries).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .Where(a => a.Key.StartsWith(MetadataPrefix, StringComparison.Ordinal))
            .ToDictionary(a => a.Key[MetadataPrefix.Length..], a => a.Value, StringComparer.Ordinal);
        return new HostBinaries(Find(stamped, "Conductor.Host"), Find(stamped, "Compute.Host"));
    }

    private static string Find(Dictionary<string, string?> stamped, string name)
    {
        if (!stamped.TryGetValue(name, out string? path) || string.IsNullOrEmpty(path))
        {
            throw new FileNotFoundException(
                $"This build of the demo does not know where {name}.dll is. Build it with 'dotnet build samples/Conductor.Demo' (or run it with 'dotnet run --project samples/Conductor.Demo'), which builds the hosts first.");
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"{name}.dll is not at '{path}', where the demo's build put it. Rebuild with 'dotnet build samples/Conductor.Demo' (or run 'dotnet run --project samples/Conductor.Demo'), which builds the hosts first.",
                path);
        }

        return path;
    }
}
