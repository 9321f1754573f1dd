using Conductor.Abstractions;
using Conductor.Proxy.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Conductor.Proxy.Tests;

/// <summary>The client's credential: its text and file, start-up checks, and the conductor's proof of itself.</summary>
[TestClass]
public sealed class CredentialTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [TestMethod]
    public void Credential_Text_RoundTripsAndNeverShowsTheSecretInToString()
    {
        var credential = HostCredential.Generate("compute-1", ConductorRole.Compute);

        string text = credential.Export();
        var parsed = HostCredential.Parse(text);

        StringAssert.StartsWith(text, "cnd1:compute:compute-1:");
        Assert.AreEqual(text, parsed.Export());
        Assert.AreEqual("compute-1 (compute)", credential.ToString());
        Assert.IsFalse(HostCredential.TryParse("cnd1:compute:compute-1:short", out _));
        Assert.IsFalse(HostCredential.TryParse("cnd1:root:compute-1:" + text.Split(':')[3], out _));
        Assert.IsFalse(HostCredential.TryParse("cnd1:compute:bad/name:" + text.Split(':')[3], out _));
    }

    [TestMethod]
    public void Credential_File_IsReadableByItsOwnerOnlyAndNeverOverwrittenByAccident()
    {
        string directory = Path.Combine(Path.GetTempPath(), "conductor-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            string path = Path.Combine(directory, "compute-1.cred");
            var credential = HostCredential.Generate("compute-1", ConductorRole.Compute);

            credential.WriteFile(path);
            IOException exists = Assert.ThrowsExactly<IOException>(() => HostCredential.Generate("compute-1", ConductorRole.Compute).WriteFile(path));

            Assert.AreEqual(credential.Export(), HostCredential.ReadFile(path).Export());
            if (!OperatingSystem.IsWindows())
            {
                Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }

            StringAssert.Contains(exists.Message, "already exists");
            Assert.AreEqual(1, Directory.GetFiles(directory).Length, "No temporary file is left behind.");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [TestMethod]
    public void Options_CredentialForAnotherHost_FailsAtStartNamingBoth()
    {
        OptionsValidationException failure = Assert.ThrowsExactly<OptionsValidationException>(() => Resolve(o =>
        {
            o.HostName = "compute-2";
            o.Credentials = HostCredential.Generate("compute-1", ConductorRole.Compute).Export();
        }));

        Assert.AreEqual(
            "Conductor:HostName is 'compute-2' but the configured credential is for 'compute-1'. Remove Conductor:HostName (the credential names the host) or configure the credential issued for 'compute-2'.",
            failure.Message);
    }

    [TestMethod]
    public void Options_CredentialOfAnotherRole_FailsAtStart()
    {
        OptionsValidationException failure = Assert.ThrowsExactly<OptionsValidationException>(() => Resolve(o =>
            o.Credentials = HostCredential.Generate("operator", ConductorRole.Admin).Export()));

        Assert.AreEqual("The configured credential is for admin 'operator', but this client connects as compute host. Use a credential issued for that role.", failure.Message);
    }

    [TestMethod]
    public void Options_MissingCredentialFile_FailsAtStartNamingTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), "conductor-tests", Guid.NewGuid().ToString("N"), "missing.cred");

        OptionsValidationException failure = Assert.ThrowsExactly<OptionsValidationException>(() => Resolve(o => o.CredentialsFile = path));

        StringAssert.StartsWith(failure.Message, $"The credential file '{path}' cannot be read (");
    }

    [TestMethod]
    public async Task Call_ConductorThatCannotProveItHoldsTheVerifier_IsRefusedByTheProxy()
    {
        var impostor = new ImpostorServer();
        var credential = HostCredential.Generate("compute-1", ConductorRole.Compute);
        var services = new ServiceCollection();
        services.AddConductorClient(o =>
            {
                o.Endpoint = "memory://impostor";
                o.ConnectionFactory = impostor.ConnectAsync;
                o.Credentials = credential.Export();
                o.CallTimeout = Timeout;
            })
            .AddApi<IEchoApi>();
        await using ServiceProvider provider = services.BuildServiceProvider();

        HandshakeRequiredException refused = await Assert.ThrowsExactlyAsync<HandshakeRequiredException>(
            () => provider.GetRequiredService<IEchoApi>().EchoAsync("secret data", CancellationToken.None));

        Assert.AreEqual(1, impostor.Handshakes);
        Assert.AreEqual(
            "The conductor at memory://impostor accepted the handshake of 'compute-1' but did not prove that it holds that credential's verifier, so it may be an impostor. The connection was closed. Check Conductor:Endpoint, and use a tls:// endpoint with a trusted certificate on untrusted networks.",
            refused.Message);
    }

    private static ConductorClientOptions Resolve(Action<ConductorClientOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddConductorClient(configure);
        using ServiceProvider provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<ConductorClientOptions>>().Value;
    }
}
