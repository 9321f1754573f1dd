using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Conductor.Abstractions;
using Conductor.Abstractions.Compute;
using Conductor.Abstractions.Wire;
using Conductor.Proxy;
using Conductor.Proxy.Security;
using Microsoft.Extensions.DependencyInjection;
using StreamJsonRpc;

namespace Conductor.Host.Tests.Security;

/// <summary>TLS on the conductor's TCP listener, with the authentication bound to the TLS session.</summary>
[TestClass]
public sealed class TlsTests
{
    private TestCertificate _certificate = null!;
    private SecureConductor _conductor = null!;

    [TestInitialize]
    public async Task StartAsync()
    {
        _certificate = new TestCertificate();
        _conductor = await SecureConductor.StartAsync(s =>
        {
            s.TlsCertificateFile = _certificate.CertificateFile;
            s.TlsKeyFile = _certificate.KeyFile;
        });
    }

    [TestCleanup]
    public async Task StopAsync()
    {
        await _conductor.DisposeAsync();
        _certificate.Dispose();
    }

    [TestMethod]
    public async Task Proxy_TlsEndpointTrustingTheCertificate_AuthenticatesAndCalls()
    {
        HostCredential credential = await _conductor.IssueAsync("compute-a");
        await using ServiceProvider client = ProxyClient.Create(_conductor.Endpoint, credential, o => o.TlsCertificateAuthorityFile = _certificate.CertificateFile);

        ServiceRecord record = await client.GetRequiredService<IServiceRepository>().RegisterAsync(new ServiceRegistration { Binary = "compute-host", Version = "1.0.0" }, CancellationToken.None);

        StringAssert.StartsWith(_conductor.Endpoint, "tls://127.0.0.1:");
        Assert.AreEqual("compute-a", record.Host);
    }

    [TestMethod]
    public async Task Proxy_NotTrustingTheCertificate_FailsNamingTheSettingToFix()
    {
        HostCredential credential = await _conductor.IssueAsync("compute-a");
        await using ServiceProvider client = ProxyClient.Create(_conductor.Endpoint, credential, o =>
        {
            o.CallTimeout = TimeSpan.FromSeconds(3);
            o.ConnectTimeout = TimeSpan.FromSeconds(3);
        });

        ConductorUnavailableException failure = await Assert.ThrowsExactlyAsync<ConductorUnavailableException>(
            () => client.GetRequiredService<IServiceRepository>().GetAsync(CancellationToken.None));

        StringAssert.Contains(failure.Message, "the TLS handshake with the conductor at tls://127.0.0.1:");
        StringAssert.Contains(failure.Message, "Set Conductor:TlsCertificateAuthorityFile");
    }

    [TestMethod]
    public async Task PlainClient_OnTheTlsPort_IsClosed_AndTlsClientsAreStillServed()
    {
        HostCredential credential = await _conductor.IssueAsync("compute-a");
        await using (RawSocket plain = await RawSocket.ConnectAsync(_conductor))
        {
            await RawSocket.TryWriteAsync(plain.Stream, RawSocket.Frame(RawSocket.Request(1, ConductorWire.HelloMethod, RawClient.Hello("compute-a", ConductorRole.Compute))));
            await plain.ReadUntilClosedAsync();
        }

        await _conductor.Log.WaitForAsync(e => e.Message.Contains("AUDIT TLS handshake with", StringComparison.Ordinal), SecureConductor.Timeout);
        await using ServiceProvider client = ProxyClient.Create(_conductor.Endpoint, credential, o => o.TlsCertificateAuthorityFile = _certificate.CertificateFile);
        await client.GetRequiredService<IServiceRepository>().RegisterAsync(new ServiceRegistration { Binary = "compute-host", Version = "1.0.0" }, CancellationToken.None);
    }

    [TestMethod]
    public async Task Proof_MadeWithoutTheTlsChannelBinding_IsRefused()
    {
        // What a proof relayed by a man in the middle (who terminates TLS itself) would look like to the conductor.
        HostCredential credential = await _conductor.IssueAsync("compute-a");
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(_conductor.TcpEndPoint);
        await using var ssl = new SslStream(tcp.GetStream());
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.GetCertHashString() == X509CertificateLoader.LoadCertificateFromFile(_certificate.CertificateFile).GetCertHashString(),
        });
        using var rpc = new JsonRpc(ConductorWireFormat.CreateMessageHandler(ssl));
        rpc.StartListening();

        HelloRequest hello = RawClient.Hello("compute-a", ConductorRole.Compute);
        HelloResponse answer = await rpc.InvokeAsync<HelloResponse>(ConductorWire.HelloMethod, hello);
        RemoteInvocationException refused = await Assert.ThrowsExactlyAsync<RemoteInvocationException>(
            () => rpc.InvokeAsync<HandshakeResponse>(ConductorWire.HandshakeMethod, RawClient.Handshake("compute-a", ConductorRole.Compute, RawClient.Proof(credential, hello, answer))));

        Assert.AreEqual(ConductorErrorCodes.HandshakeRequired, refused.ErrorCode);
    }
}
