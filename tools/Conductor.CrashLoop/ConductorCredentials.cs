using Conductor.Abstractions;
using Conductor.Abstractions.Admin;
using Conductor.Proxy;
using Conductor.Proxy.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.CrashLoop;

/// <summary>
/// Credentials for clients of a conductor process, provisioned as an operator would: the admin credential the
/// conductor wrote to its data directory at first start, and compute hosts' credentials issued through it
/// (<c>conductor hosts add</c> does the same).
/// </summary>
public static class ConductorCredentials
{
    /// <summary>The identity of the admin credential the conductor makes at first start.</summary>
    public const string AdminName = "admin";

    /// <summary>Returns the admin credential file in a conductor's data directory.</summary>
    /// <param name="dataDirectory">The data directory.</param>
    /// <returns>The path.</returns>
    public static string AdminFile(string dataDirectory) => Path.Combine(Path.GetFullPath(dataDirectory), "admin.credential");

    /// <summary>Configures a client as the conductor's admin.</summary>
    /// <param name="options">The client's options.</param>
    /// <param name="dataDirectory">The conductor's data directory.</param>
    public static void UseAdmin(ConductorClientOptions options, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Role = ConductorRole.Admin;
        options.HostName = AdminName;
        options.CredentialsFile = AdminFile(dataDirectory);
    }

    /// <summary>Issues (or replaces) a compute host's credential through the running conductor.</summary>
    /// <param name="endpoint">The conductor's endpoint.</param>
    /// <param name="dataDirectory">The conductor's data directory, which holds the admin credential.</param>
    /// <param name="hostName">The compute host.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The credential's text, for <see cref="ConductorClientOptions.Credentials"/>.</returns>
    public static async Task<string> IssueAsync(string endpoint, string dataDirectory, string hostName, CancellationToken cancellationToken)
    {
        var credential = HostCredential.Generate(hostName, ConductorRole.Compute);
        var services = new ServiceCollection();
        services.AddConductorClient(o =>
            {
                o.Endpoint = endpoint;
                o.ClientName = "credential-issuer";
                UseAdmin(o, dataDirectory);
            })
            .AddApi<ICredentialAdminRepository>();
        await using ServiceProvider admin = services.BuildServiceProvider();
        await admin.GetRequiredService<ICredentialAdminRepository>().AddAsync(credential.CreateVerifier(replace: true), cancellationToken).ConfigureAwait(false);
        return credential.Export();
    }
}
