using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Conductor.Host.Tests.Security;

/// <summary>A self-signed ECDSA P-256 certificate for 127.0.0.1 and localhost, written as PEM files in a temporary directory.</summary>
internal sealed class TestCertificate : IDisposable
{
    public TestCertificate()
    {
        Directory = Path.Combine(Path.GetTempPath(), "conductor-tests", "tls-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=conductor-test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        CertificateFile = Path.Combine(Directory, "conductor.crt");
        KeyFile = Path.Combine(Directory, "conductor.key");
        File.WriteAllText(CertificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(KeyFile, key.ExportPkcs8PrivateKeyPem());
    }

    public string Directory { get; }

    public string CertificateFile { get; }

    public string KeyFile { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
