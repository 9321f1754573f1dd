using System.Reflection;

namespace Conductor.Compat.Tests;

/// <summary>Where the built executables are (from the project file), and how to start one.</summary>
internal static class Executables
{
    public static string ConductorHost => Path("ConductorHost");

    public static string ComputeHost => Path("ComputeHost");

    public static string ComputeClientV1_0 => Path("ComputeClientV1_0");

    private static string Path(string key)
    {
        string path = typeof(Executables).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
        string full = System.IO.Path.GetFullPath(path.Replace('\\', System.IO.Path.DirectorySeparatorChar));
        return File.Exists(full) ? full : throw new FileNotFoundException($"{full} was not built. Build the solution (dotnet build Conductor.sln) before running the compatibility tests.", full);
    }
}
