using System.CommandLine;
using System.CommandLine.Invocation;
using Conductor.Abstractions.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Conductor.Host.Cli;

/// <summary>The <c>serve</c> verb: runs the conductor as a Generic Host service until SIGTERM or Ctrl+C.</summary>
internal static class ServeCommand
{
    private static readonly Option<string?> s_dataDirectory = new("--data-dir") { Description = "Directory of the database and its owner lock (Conductor:DataDirectory; default ./data)." };
    private static readonly Option<string?> s_tcp = new("--tcp") { Description = "TCP address:port to listen on, or \"\" for none (Conductor:TcpEndpoint; default 127.0.0.1:7400)." };
    private static readonly Option<string?> s_unixSocket = new("--unix-socket") { Description = "Unix socket path to listen on (Conductor:UnixSocketPath; relative to the data directory)." };

    public static Command Create()
    {
        var command = new Command("serve", "Run the conductor. Any other setting can be given as --Conductor:Name value, as Conductor__Name in the environment, or in appsettings.json.")
        {
            s_dataDirectory,
            s_tcp,
            s_unixSocket,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.Action = new ServeAction();
        return command;
    }

    /// <summary>Runs the host; the host handles SIGTERM itself, so the command line's own handler is off.</summary>
    private sealed class ServeAction : AsynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => false;

        public override async Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken = default)
        {
            var hostArgs = new List<string>(parseResult.UnmatchedTokens);
            AddSetting(hostArgs, "Conductor:DataDirectory", parseResult.GetValue(s_dataDirectory));
            AddSetting(hostArgs, "Conductor:TcpEndpoint", parseResult.GetValue(s_tcp));
            AddSetting(hostArgs, "Conductor:UnixSocketPath", parseResult.GetValue(s_unixSocket));

            HostApplicationBuilder builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(
                new HostApplicationBuilderSettings { Args = [.. hostArgs], ContentRootPath = AppContext.BaseDirectory });
            builder.Services.AddConductorServer();
            ConductorOptions settings = builder.Configuration.GetSection(ConductorOptions.SectionName).Get<ConductorOptions>() ?? new ConductorOptions();
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.ShutdownTimeout + TimeSpan.FromSeconds(5));
            try
            {
                using IHost host = builder.Build();

                // Check the settings and take the data directory's owner lock before the host starts: a refusal is then
                // this command's one sentence on stderr, not the host's start-up failure log with a stack trace.
                host.Services.GetService<IStartupValidator>()?.Validate();
                host.Services.GetRequiredService<IConductorDatabase>();
                await host.RunAsync(CancellationToken.None).ConfigureAwait(false);
                return 0;
            }
            catch (Exception ex) when (ex is OptionsValidationException or InvalidOperationException or IOException or Storage.DataDirectoryInUseException or Storage.DatabaseFileDamagedException or Storage.Schema.DatabaseSchemaMismatchException)
            {
                await Console.Error.WriteLineAsync("conductor: " + ex.Message).ConfigureAwait(false);
                return 2;
            }
        }

        private static void AddSetting(List<string> args, string key, string? value)
        {
            if (value is not null)
            {
                args.Add("--" + key);
                args.Add(value);
            }
        }
    }
}
