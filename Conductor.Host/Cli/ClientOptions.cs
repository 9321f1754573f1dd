using System.CommandLine;
using Conductor.Abstractions;
using Conductor.Abstractions.Admin;
using Conductor.Host.Rpc;
using Conductor.Host.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.Host.Cli;

/// <summary>The options every data verb shares, and the admin client they build.</summary>
internal static class ClientOptions
{
    public static readonly Option<string?> Endpoint = new("--endpoint")
    {
        Description = "The conductor to talk to: tcp://host:port, tls://host:port or unix:/path. Default: what the conductor in --data-dir published, else tcp://127.0.0.1:7400.",
        Recursive = true,
    };

    public static readonly Option<string> DataDirectory = new("--data-dir")
    {
        Description = "The running conductor's data directory, used to find its endpoint.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("Conductor__DataDirectory") ?? "data",
        Recursive = true,
    };

    public static readonly Option<double> TimeoutSeconds = new("--timeout")
    {
        Description = "Seconds to wait for the conductor before giving up.",
        DefaultValueFactory = _ => 15,
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print JSON instead of a table.",
        Recursive = true,
    };

    public static readonly Option<string?> Credentials = new("--credentials")
    {
        Description = "The admin credential file. Default: admin.credential in --data-dir (the conductor writes it at first start; 'conductor admin init' makes or rotates it).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("Conductor__CredentialsFile"),
        Recursive = true,
    };

    public static readonly Option<string?> TlsCertificateAuthority = new("--tls-ca")
    {
        Description = "For a tls:// endpoint: a PEM or DER certificate to trust as its root (a private CA, or the conductor's self-signed certificate).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("Conductor__TlsCertificateAuthorityFile"),
        Recursive = true,
    };

    public static void AddTo(Command command)
    {
        command.Options.Add(Endpoint);
        command.Options.Add(DataDirectory);
        command.Options.Add(TimeoutSeconds);
        command.Options.Add(Json);
        command.Options.Add(Credentials);
        command.Options.Add(TlsCertificateAuthority);
    }

    /// <summary>Finds the admin credential file: --credentials, else admin.credential in --data-dir.</summary>
    /// <param name="parseResult">The parsed command line.</param>
    /// <returns>The file, or <see langword="null"/> when there is none.</returns>
    public static string? ResolveCredentials(ParseResult parseResult)
    {
        if (parseResult.GetValue(Credentials) is { Length: > 0 } explicitFile)
        {
            return explicitFile;
        }

        string inDataDirectory = AdminBootstrap.PathIn(parseResult.GetValue(DataDirectory)!);
        return File.Exists(inDataDirectory) ? inDataDirectory : null;
    }

    public static string ResolveEndpoint(ParseResult parseResult)
    {
        if (parseResult.GetValue(Endpoint) is { Length: > 0 } endpoint)
        {
            return endpoint;
        }

        EndpointsFile? published = EndpointsFile.TryRead(Path.GetFullPath(parseResult.GetValue(DataDirectory)!));
        return published?.Unix ?? published?.Tcp ?? "tcp://127.0.0.1:7400";
    }

    /// <summary>Builds a service provider holding admin proxies connected to the conductor.</summary>
    /// <param name="parseResult">The parsed command line.</param>
    /// <returns>The provider; dispose it to close the connection.</returns>
    public static ServiceProvider CreateAdminClient(ParseResult parseResult)
    {
        TimeSpan timeout = TimeSpan.FromSeconds(parseResult.GetValue(TimeoutSeconds));
        string? credentials = ResolveCredentials(parseResult);
        if (credentials is null)
        {
            Console.Error.WriteLine(
                $"conductor: no admin credential found (looked for {AdminBootstrap.PathIn(parseResult.GetValue(DataDirectory)!)}); the conductor will refuse this client. " +
                "Pass --data-dir with the conductor's data directory, or --credentials FILE; 'conductor admin init --data-dir DIR' makes one.");
        }

        var services = new ServiceCollection();
        services.AddConductorClient(o =>
            {
                o.Endpoint = ResolveEndpoint(parseResult);
                o.Role = ConductorRole.Admin;
                o.ClientName = "conductor-cli/" + ConductorServer.ServerName.Split('/')[1];
                o.HostName = Environment.MachineName;
                o.CredentialsFile = credentials;
                o.TlsCertificateAuthorityFile = parseResult.GetValue(TlsCertificateAuthority);
                o.CallTimeout = timeout;
                o.ConnectTimeout = timeout;
            })
            .AddApi<IInstanceAdminRepository>()
            .AddApi<IServiceAdminRepository>()
            .AddApi<ICredentialAdminRepository>();
        return services.BuildServiceProvider();
    }
}
