using System.Reflection;

namespace Conductor.Processes;

/// <summary>
/// Where the build put the conductor's and the compute host's assemblies. This library builds both hosts before
/// itself and stamps their paths into its assembly (see <c>Conductor.Processes.csproj</c>), so these are exactly the
/// binaries of this build, in its configuration.
/// </summary>
/// <param name="ConductorHost">The full path of <c>Conductor.Host.dll</c>.</param>
/// <param name="ComputeHost">The full path of <c>Compute.Host.dll</c>.</param>
internal sealed record HostBinaries(string ConductorHost, string ComputeHost)
{
    private const string MetadataPrefix = "HostAssembly:";

    /// <summary>Reads the hosts' paths stamped into this assembly and checks that both files exist.</summary>
    /// <param name="conductorHost">
    /// A <c>Conductor.Host.dll</c> to run instead of this build's (another build or release), or <see langword="null"/>.
    /// </param>
    /// <returns>The paths.</returns>
    /// <exception cref="FileNotFoundException">A host's assembly is missing: the message says how to build it.</exception>
    public static HostBinaries Locate(string? conductorHost = null)
    {
        Dictionary<string, string?> stamped = typeof(HostBinaries).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .Where(a => a.Key.StartsWith(MetadataPrefix, StringComparison.Ordinal))
            .ToDictionary(a => a.Key[MetadataPrefix.Length..], a => a.Value, StringComparer.Ordinal);
        if (conductorHost is not null && !File.Exists(conductorHost))
        {
            throw new FileNotFoundException($"There is no conductor assembly at '{conductorHost}'. Give the path of a built Conductor.Host.dll, or leave it out to run this build's.", conductorHost);
        }

        return new HostBinaries(conductorHost is null ? Find(stamped, "Conductor.Host") : Path.GetFullPath(conductorHost), Find(stamped, "Compute.Host"));
    }

    private static string Find(Dictionary<string, string?> stamped, string name)
    {
        if (!stamped.TryGetValue(name, out string? path) || string.IsNullOrEmpty(path))
        {
            throw new FileNotFoundException(
                $"This build does not know where {name}.dll is. Build the program with 'dotnet build' (for example 'dotnet build samples/Conductor.Demo', or run it with 'dotnet run --project ...'), which builds the hosts first.");
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"{name}.dll is not at '{path}', where the build put it. Rebuild the program with 'dotnet build' (for example 'dotnet build samples/Conductor.Demo'), which builds the hosts first.",
                path);
        }

        return path;
    }
}
