using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Conductor.Host.Security;

/// <summary>
/// TLS for the TCP listener when <see cref="ConductorSecurityOptions.TlsCertificateFile"/> is set: loads the
/// certificate once at start (a bad file stops the conductor with a message naming it) and runs each accepted
/// connection's TLS handshake within the handshake deadline.
/// </summary>
internal sealed class TransportSecurity : IDisposable
{
    private readonly X509Certificate2? _certificate;
    private readonly ILogger _audit;

    public TransportSecurity(IOptions<ConductorSecurityOptions> options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _audit = loggerFactory.CreateLogger(AuditLog.Category);
        ConductorSecurityOptions settings = options.Value;
        if (!string.IsNullOrWhiteSpace(settings.TlsCertificateFile))
        {
            _certificate = Load(settings);
        }
    }

    /// <summary>Gets whether TCP connections are wrapped in TLS.</summary>
    public bool IsEnabled => _certificate is not null;

    /// <summary>Gets the server certificate, or <see langword="null"/> without TLS.</summary>
    public X509Certificate2? Certificate => _certificate;

    /// <summary>Runs the server side of the TLS handshake.</summary>
    /// <param name="inner">The accepted connection's stream; owned by the result, or disposed on failure.</param>
    /// <param name="remote">The peer, for the log.</param>
    /// <param name="timeout">How long the peer has to complete the TLS handshake.</param>
    /// <returns>The encrypted stream, or <see langword="null"/> when the handshake failed (logged).</returns>
    public async Task<Stream?> AcceptAsync(Stream inner, string remote, TimeSpan timeout)
    {
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await ssl.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions
                {
                    ServerCertificate = _certificate,
                    ClientCertificateRequired = false,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                },
                deadline.Token).ConfigureAwait(false);
            return ssl;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            AuditLog.TlsFailed(_audit, remote, ex is OperationCanceledException ? $"no TLS handshake within {timeout.TotalSeconds:0.###} s" : ex.Message);
            await ssl.DisposeAsync().ConfigureAwait(false);
            return null;
        }
    }

    public void Dispose() => _certificate?.Dispose();

    private static X509Certificate2 Load(ConductorSecurityOptions settings)
    {
        string path = settings.TlsCertificateFile!;
        try
        {
            X509Certificate2 certificate = X509Certificate2.GetCertContentType(path) == X509ContentType.Pkcs12
                ? X509CertificateLoader.LoadPkcs12FromFile(path, settings.TlsCertificatePassword)
                : X509Certificate2.CreateFromPemFile(path, string.IsNullOrWhiteSpace(settings.TlsKeyFile) ? null : settings.TlsKeyFile);
            if (!certificate.HasPrivateKey)
            {
                certificate.Dispose();
                throw new InvalidOperationException($"The TLS certificate '{path}' has no private key. Set Conductor:Security:TlsKeyFile to its PEM key, or use a PKCS#12 file that holds the key.");
            }

            return certificate;
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"The conductor cannot load its TLS certificate '{path}'{(string.IsNullOrWhiteSpace(settings.TlsKeyFile) ? string.Empty : $" with key '{settings.TlsKeyFile}'")}: {ex.Message.TrimEnd('.')}. Check Conductor:Security:TlsCertificateFile, TlsKeyFile and TlsCertificatePassword.",
                ex);
        }
    }
}
