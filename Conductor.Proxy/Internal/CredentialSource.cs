using Conductor.Abstractions;
using Conductor.Proxy.Security;

namespace Conductor.Proxy.Internal;

/// <summary>Where a client's credential comes from: <see cref="ConductorClientOptions.Credentials"/> or <see cref="ConductorClientOptions.CredentialsFile"/>.</summary>
internal static class CredentialSource
{
    /// <summary>Loads the configured credential, reading the file anew each time so that a rotated credential is picked up.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The credential, or <see langword="null"/> when none is configured.</returns>
    /// <exception cref="InvalidOperationException">The credential cannot be read or does not fit the options; the message says how to fix it.</exception>
    public static HostCredential? Load(ConductorClientOptions options)
    {
        HostCredential? credential;
        if (!string.IsNullOrWhiteSpace(options.Credentials))
        {
            credential = HostCredential.TryParse(options.Credentials, out HostCredential? parsed)
                ? parsed
                : throw new InvalidOperationException($"Conductor:Credentials does not hold a conductor credential. Set it to the text 'conductor hosts add' printed ({HostCredential.Prefix}:<role>:<name>:<secret>), or use Conductor:CredentialsFile.");
        }
        else if (!string.IsNullOrWhiteSpace(options.CredentialsFile))
        {
            credential = HostCredential.ReadFile(options.CredentialsFile);
        }
        else
        {
            return null;
        }

        if (credential.Role != options.Role)
        {
            throw new InvalidOperationException(
                $"The configured credential is for {Describe(credential.Role)} '{credential.Name}', but this client connects as {Describe(options.Role)}. Use a credential issued for that role.");
        }

        // The credential names the identity; a host name configured on top must agree with it. The default (the
        // machine name) gives way to the credential.
        if (!string.Equals(options.HostName, credential.Name, StringComparison.Ordinal) && !string.Equals(options.HostName, Environment.MachineName, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"Conductor:HostName is '{options.HostName}' but the configured credential is for '{credential.Name}'. Remove Conductor:HostName (the credential names the host) or configure the credential issued for '{options.HostName}'.");
        }

        return credential;
    }

    /// <summary>Checks the configured credential at start-up.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The failure, or <see langword="null"/> when the credential loads (or none is configured).</returns>
    public static string? Validate(ConductorClientOptions options)
    {
        try
        {
            _ = Load(options);
            return null;
        }
        catch (InvalidOperationException ex)
        {
            return ex.Message;
        }
    }

    private static string Describe(ConductorRole role) => role == ConductorRole.Admin ? "admin" : "compute host";
}
