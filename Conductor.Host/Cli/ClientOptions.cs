using System.CommandLine;
using Conductor.Abstractions;
using Conductor.Abstractions.Admin;
using Conductor.Host.Rpc;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.Host.Cli;

/// <summary>The options every data verb shares, and the admin client they build.</summary>
internal static class ClientOptions
{
    public static readonly Option<string?> Endpoint = new("--endpoint")
    {
        Description = "The conductor to talk to: tcp://host:port or unix:/path. Default: what the conductor in --data-dir published, else tcp://127.0.0.1:7400.",
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

    public static void AddTo(Command command)
    {
        command.Options.Add(Endpoint);
        command.Options.Add(DataDirectory);
        command.Options.Add(TimeoutSeconds);
        command.Options.Add(Json);
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
        var services = new ServiceCollection();
        services.AddConductorClient(o =>
            {
                o.Endpoint = ResolveEndpoint(parseResult);
                o.Role = ConductorRole.Admin;
                o.ClientName = "conductor-cli/" + ConductorServer.ServerName.Split('/')[1];
                o.HostName = Environment.MachineName;
                o.CallTimeout = timeout;
                o.ConnectTimeout = timeout;
            })
            .AddApi<IInstanceAdminRepository>()
            .AddApi<IServiceAdminRepository>();
        return services.BuildServiceProvider();
    }
}
