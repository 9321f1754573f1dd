using System.Collections.Concurrent;
using Conductor.Abstractions;
using Conductor.Abstractions.Admin;
using Conductor.Proxy;
using Conductor.Proxy.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.Compat.Tests;

/// <summary>
/// The credentials of the clients of a conductor process, provisioned as an operator would: the admin credential the
/// conductor wrote to its data directory at first start, and compute hosts' credentials issued through it on first
/// use, written beside it.
/// </summary>
internal static class Credentials
{
    private static readonly ConcurrentDictionary<string, string> s_dataDirectories = new(StringComparer.Ordinal);
    private static readonly SemaphoreSlim s_issuing = new(1, 1);

    /// <summary>Remembers which data directory the conductor listening on an endpoint uses.</summary>
    public static void Register(string endpoint, string dataDirectory) => s_dataDirectories[endpoint] = dataDirectory;

    /// <summary>Returns the admin credential file of the conductor on an endpoint.</summary>
    public static string AdminFile(string endpoint) => Path.Combine(DataDirectory(endpoint), "admin.credential");

    /// <summary>Configures a client as the admin of the conductor on its endpoint.</summary>
    public static void UseAdmin(ConductorClientOptions options)
    {
        options.Role = ConductorRole.Admin;
        options.HostName = "admin";
        options.CredentialsFile = AdminFile(options.Endpoint);
    }

    /// <summary>Returns a compute host's credential file for the conductor on an endpoint, issuing it the first time.</summary>
    public static string ComputeFile(string endpoint, string host)
    {
        string file = Path.Combine(DataDirectory(endpoint), host + ".cred");
        s_issuing.Wait();
        try
        {
            if (!File.Exists(file))
            {
                IssueAsync(endpoint, host, file).GetAwaiter().GetResult();
            }
        }
        finally
        {
            s_issuing.Release();
        }

        return file;
    }

    private static string DataDirectory(string endpoint) =>
        s_dataDirectories.TryGetValue(endpoint, out string? directory)
            ? directory
            : throw new InvalidOperationException($"No conductor process of these tests listens on {endpoint}.");

    private static async Task IssueAsync(string endpoint, string host, string file)
    {
        var credential = HostCredential.Generate(host, ConductorRole.Compute);
        var services = new ServiceCollection();
        services.AddConductorClient(o =>
            {
                o.Endpoint = endpoint;
                o.ClientName = "compat-tests-issuer";
                o.CallTimeout = TimeSpan.FromSeconds(30);
                UseAdmin(o);
            })
            .AddApi<ICredentialAdminRepository>();
        await using ServiceProvider admin = services.BuildServiceProvider();
        await admin.GetRequiredService<ICredentialAdminRepository>().AddAsync(credential.CreateVerifier(replace: true), CancellationToken.None);
        credential.WriteFile(file, overwrite: true);
    }
}
