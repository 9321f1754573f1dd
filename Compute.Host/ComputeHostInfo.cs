using System.Reflection;

namespace Compute.Host;

/// <summary>Facts about this build of the compute worker.</summary>
internal static class ComputeHostInfo
{
    /// <summary>Gets the informational version without the source revision suffix (for example <c>1.0.0</c>).</summary>
    public static string Version { get; } = ReadVersion();

    /// <summary>Gets the client name sent to the conductor in the handshake.</summary>
    public static string ClientName => $"compute-host/{Version}";

    private static string ReadVersion()
    {
        Assembly assembly = typeof(ComputeHostInfo).Assembly;
        string? informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (!string.IsNullOrEmpty(informational))
        {
            int plus = informational.IndexOf('+', StringComparison.Ordinal);
            return plus < 0 ? informational : informational[..plus];
        }

        return assembly.GetName().Version?.ToString(3) ?? "0.0.0";
    }
}
