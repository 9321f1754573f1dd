using System.ComponentModel.DataAnnotations;

namespace Conductor.Host.Security;

/// <summary>
/// How the conductor authenticates connections and protects its wire. Bound from the <c>Conductor:Security</c>
/// configuration section; docs/security.md explains every setting.
/// </summary>
public sealed class ConductorSecurityOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "Conductor:Security";

    /// <summary>
    /// Gets or sets the TLS certificate for the TCP listener: a PEM certificate (with <see cref="TlsKeyFile"/>) or a
    /// PKCS#12 file (with <see cref="TlsCertificatePassword"/> if it has one). Empty: TCP without TLS, which is meant
    /// for loopback and trusted networks only. Unix sockets never use TLS (file permissions protect them).
    /// </summary>
    public string? TlsCertificateFile { get; set; }

    /// <summary>Gets or sets the PEM private key of a PEM <see cref="TlsCertificateFile"/>; empty when the key is in the certificate file.</summary>
    public string? TlsKeyFile { get; set; }

    /// <summary>Gets or sets the password of a PKCS#12 <see cref="TlsCertificateFile"/>.</summary>
    public string? TlsCertificatePassword { get; set; }

    /// <summary>
    /// Gets or sets how many requests one connection may have in flight. The conductor stops reading a connection's
    /// requests while it has this many unanswered, so a flooding client only slows itself. Defaults to 64.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxConcurrentRequestsPerConnection { get; set; } = 64;

    /// <summary>
    /// Gets or sets the largest message accepted before a connection has authenticated, in bytes. Larger frames close
    /// the connection. Defaults to 16 KiB (a hello or handshake is a few hundred bytes).
    /// </summary>
    [Range(1024, int.MaxValue)]
    public int MaxHandshakeMessageBytes { get; set; } = 16 * 1024;

    /// <summary>
    /// Gets or sets how many failed authentications one remote address may make per <see cref="FailedAuthenticationWindow"/>
    /// before its further attempts are refused unchecked until the window ends. Defaults to 10.
    /// </summary>
    [Range(1, 1_000_000)]
    public int FailedAuthenticationsPerAddress { get; set; } = 10;

    /// <summary>
    /// Gets or sets how many failed authentications may name one identity per <see cref="FailedAuthenticationWindow"/>,
    /// from any address, before further attempts for it are refused unchecked until the window ends. Defaults to 20.
    /// </summary>
    [Range(1, 1_000_000)]
    public int FailedAuthenticationsPerIdentity { get; set; } = 20;

    /// <summary>Gets or sets the window of the failed-authentication limits. Defaults to one minute.</summary>
    public TimeSpan FailedAuthenticationWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Gets or sets whether a conductor that has no admin credential makes one when it starts and writes it to
    /// <c>admin.credential</c> in the data directory (readable by the conductor's user only). Defaults to true.
    /// </summary>
    public bool CreateAdminCredential { get; set; } = true;

    /// <summary>Gets or sets how many denied calls of one connection are logged one by one before the log only counts them. Defaults to 20.</summary>
    [Range(0, 1_000_000)]
    public int DenialsLoggedPerConnection { get; set; } = 20;
}
