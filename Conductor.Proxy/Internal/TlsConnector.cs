using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Conductor.Proxy.Internal;

/// <summary>Wraps a connected socket stream in TLS for a <c>tls://</c> endpoint, checking the conductor's certificate.</summary>
internal static class TlsConnector
{
    /// <summary>Runs the TLS handshake as a client.</summary>
    /// <param name="inner">The connected stream; owned by the result (or disposed on failure).</param>
    /// <param name="endpoint">The endpoint.</param>
    /// <param name="options">The options naming the trusted root and the expected server name.</param>
    /// <param name="cancellationToken">The attempt's deadline.</param>
    /// <returns>The encrypted stream.</returns>
    /// <exception cref="IOException">The handshake failed or the certificate is not trusted; the message says what to configure.</exception>
    public static async Task<SslStream> SecureAsync(Stream inner, ConductorEndpoint endpoint, ConductorClientOptions options, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        try
        {
            var authentication = new SslClientAuthenticationOptions
            {
                TargetHost = string.IsNullOrWhiteSpace(options.TlsServerName) ? endpoint.Host : options.TlsServerName,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            };
            if (!string.IsNullOrWhiteSpace(options.TlsCertificateAuthorityFile))
            {
                var policy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    RevocationMode = X509RevocationMode.NoCheck,
                };
                policy.CustomTrustStore.Add(LoadAuthority(options.TlsCertificateAuthorityFile));
                authentication.CertificateChainPolicy = policy;
            }

            await ssl.AuthenticateAsClientAsync(authentication, cancellationToken).ConfigureAwait(false);
            return ssl;
        }
        catch (AuthenticationException ex)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw new IOException(
                $"the TLS handshake with the conductor at {endpoint} failed ({ex.Message.TrimEnd('.')}). Set Conductor:TlsCertificateAuthorityFile to the certificate of the CA that signed the conductor's certificate (or to its self-signed certificate), and Conductor:TlsServerName if the certificate names another host",
                ex);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static X509Certificate2 LoadAuthority(string path)
    {
        try
        {
            return X509CertificateLoader.LoadCertificateFromFile(path);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Conductor:TlsCertificateAuthorityFile '{path}' cannot be read as a PEM or DER certificate ({ex.Message.TrimEnd('.')})", ex);
        }
    }
}
