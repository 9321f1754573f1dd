using System.CommandLine;
using System.Globalization;
using Conductor.Abstractions;
using Conductor.Abstractions.Admin;
using Conductor.Proxy.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.Host.Cli;

/// <summary>
/// The <c>hosts</c> verbs: issue, rotate, revoke and list compute hosts' credentials through the running conductor.
/// A credential's secret is generated here, shown or written once, and never sent: the conductor gets its verifier.
/// </summary>
internal static class HostCommands
{
    public static Command Create()
    {
        var hosts = new Command("hosts", "Issue, rotate, revoke and list compute hosts' credentials through the running conductor.");
        ClientOptions.AddTo(hosts);
        hosts.Subcommands.Add(AddCommand());
        hosts.Subcommands.Add(RevokeCommand());
        hosts.Subcommands.Add(ListCommand());
        return hosts;
    }

    private static Command AddCommand()
    {
        var name = new Argument<string>("name") { Description = "The compute host's name (it authenticates as this name; its records are bound to it)." };
        var output = new Option<string?>("--out") { Description = "Write the credential to this new file (mode 0600) instead of printing it." };
        var rotate = new Option<bool>("--rotate") { Description = "Replace the host's existing credential; its live connections are closed at once." };
        var command = new Command("add", "Issue a credential for a compute host. It is shown (or written) once; give it to the host as Conductor:CredentialsFile.") { name, output, rotate };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            string host = parseResult.GetValue(name)!;
            if (!HostCredential.IsValidName(host))
            {
                Console.Error.WriteLine($"conductor: '{host}' is not a valid host name. Use 1 to {HostCredential.MaxNameLength} ASCII letters, digits, '.', '-' and '_'.");
                return 2;
            }

            var credential = HostCredential.Generate(host, ConductorRole.Compute);
            string? file = parseResult.GetValue(output);
            if (file is not null)
            {
                // Written before the conductor learns the verifier, so a credential it accepts is never lost.
                try
                {
                    credential.WriteFile(file, overwrite: parseResult.GetValue(rotate));
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    Console.Error.WriteLine($"conductor: cannot write the credential to '{file}': {ex.Message}");
                    return 2;
                }
            }

            await using ServiceProvider client = ClientOptions.CreateAdminClient(parseResult);
            CredentialInfo info;
            try
            {
                info = await client.GetRequiredService<ICredentialAdminRepository>()
                    .AddAsync(credential.CreateVerifier(replace: parseResult.GetValue(rotate)), cancellationToken).ConfigureAwait(false);
            }
            catch (ConductorException ex)
            {
                if (file is not null)
                {
                    File.Delete(file);
                }

                return CliOutput.Error(ex);
            }

            if (parseResult.GetValue(ClientOptions.Json))
            {
                CliOutput.Json(new { info.Name, info.Role, info.IssuedAtUtc, ClosedConnections = info.Connections, CredentialsFile = file is null ? null : Path.GetFullPath(file), Credential = file is null ? credential.Export() : null });
            }
            else if (file is null)
            {
                Console.Out.WriteLine(credential.Export());
                Console.Error.WriteLine($"Issued a credential for compute host '{host}'. It is shown only this once: store it where only that host can read it, and point Conductor:CredentialsFile at it.");
            }
            else
            {
                Console.Out.WriteLine($"Issued a credential for compute host '{host}' and wrote it to {Path.GetFullPath(file)} (mode 0600). Give that file to the host as Conductor:CredentialsFile.");
            }

            if (info.Connections > 0)
            {
                Console.Error.WriteLine($"Closed {info.Connections} live connection(s) that used the old credential.");
            }

            return 0;
        });
        return command;
    }

    private static Command RevokeCommand()
    {
        var name = new Argument<string>("name") { Description = "The host whose credential to revoke." };
        var command = new Command("revoke", "Revoke a host's credential: its live connections are closed at once and it is refused from then on.") { name };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using ServiceProvider client = ClientOptions.CreateAdminClient(parseResult);
            CredentialInfo info;
            try
            {
                info = await client.GetRequiredService<ICredentialAdminRepository>()
                    .RevokeAsync(new CredentialRevocation { Name = parseResult.GetValue(name)! }, cancellationToken).ConfigureAwait(false);
            }
            catch (ConductorException ex)
            {
                return CliOutput.Error(ex);
            }

            if (parseResult.GetValue(ClientOptions.Json))
            {
                CliOutput.Json(new { info.Name, info.Role, ClosedConnections = info.Connections });
            }
            else
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Revoked the credential of '{info.Name}'; closed {info.Connections} live connection(s)."));
            }

            return 0;
        });
        return command;
    }

    private static Command ListCommand()
    {
        var command = new Command("list", "List every credential (names, roles, when issued, live connections); never a secret.");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using ServiceProvider client = ClientOptions.CreateAdminClient(parseResult);
            IReadOnlyList<CredentialInfo> all;
            try
            {
                all = await client.GetRequiredService<ICredentialAdminRepository>().ListAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (ConductorException ex)
            {
                return CliOutput.Error(ex);
            }

            if (parseResult.GetValue(ClientOptions.Json))
            {
                CliOutput.Json(all);
            }
            else
            {
                CliOutput.Credentials(all);
            }

            return 0;
        });
        return command;
    }
}
