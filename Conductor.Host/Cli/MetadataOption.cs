using System.Diagnostics.CodeAnalysis;
using Conductor.Abstractions;
using Conductor.Abstractions.Admin;
using Conductor.Abstractions.Compute;
using Conductor.Abstractions.Wire;
using Conductor.Proxy;

namespace Conductor.Host.Cli;

/// <summary>The <c>--metadata key=value</c> option of <c>instances create</c>.</summary>
internal static class MetadataOption
{
    /// <summary>The admin.instances version that added instance metadata.</summary>
    public static readonly ApiVersion Since = new(1, 1);

    /// <summary>Parses the pairs and checks them against the limits the conductor applies.</summary>
    /// <param name="values">The option's values, or <see langword="null"/> when it was not given.</param>
    /// <param name="metadata">The pairs, or <see langword="null"/> when none were given.</param>
    /// <param name="problem">What is wrong, when this returns <see langword="false"/>.</param>
    /// <returns>Whether the values are valid.</returns>
    public static bool TryParse(string[]? values, out Dictionary<string, string>? metadata, [NotNullWhen(false)] out string? problem)
    {
        metadata = null;
        problem = null;
        if (values is null || values.Length == 0)
        {
            return true;
        }

        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string value in values)
        {
            int equals = value.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                problem = $"--metadata '{value}' is not a key=value pair. Write it as --metadata owner=alice.";
                return false;
            }

            pairs[value[..equals]] = value[(equals + 1)..];
        }

        problem = InstanceMetadata.Validate(pairs);
        metadata = pairs;
        return problem is null;
    }

    /// <summary>Fails unless the conductor serves instance metadata to this client.</summary>
    /// <param name="connection">The admin client's connection.</param>
    /// <param name="cancellationToken">Cancels the wait for the connection.</param>
    /// <returns>A task that completes when the check passed.</returns>
    /// <exception cref="VersionNotSupportedException">The conductor serves admin.instances older than 1.1.</exception>
    public static async Task EnsureServedAsync(IConductorConnection connection, CancellationToken cancellationToken)
    {
        string api = ConductorApiDescriptor.Create(typeof(IInstanceAdminRepository)).Name;
        HandshakeResponse handshake = await connection.ConnectAsync(cancellationToken).ConfigureAwait(false);
        if (!handshake.Apis.TryGetValue(api, out string? text) || !ApiVersion.TryParse(text, out ApiVersion settled) || settled < Since)
        {
            throw new VersionNotSupportedException(
                $"The conductor at {connection.Endpoint} serves {api} {text ?? "not at all"}, which has no instance metadata (added in {api} {Since}). " +
                "Upgrade the conductor first, or create the instance without --metadata.");
        }
    }
}
