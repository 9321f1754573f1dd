using Conductor.Abstractions;
using Conductor.Abstractions.Admin;
using Conductor.Abstractions.Compute;
using Conductor.Proxy.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.Host.Tests.Security;

/// <summary>Revoking or rotating a credential closes the identity's live connections at once and refuses it from then on.</summary>
[TestClass]
public sealed class RevocationTests
{
    private const string AdminName = "admin";

    private SecureConductor _conductor = null!;
    private ServiceProvider _admin = null!;

    private ICredentialAdminRepository Credentials => _admin.GetRequiredService<ICredentialAdminRepository>();

    [TestInitialize]
    public async Task StartAsync()
    {
        _conductor = await SecureConductor.StartAsync(s => s.FailedAuthenticationsPerAddress = 1000);
        _admin = ProxyClient.Create(_conductor.Endpoint, await _conductor.IssueAsync("operator", ConductorRole.Admin));
    }

    [TestCleanup]
    public async Task StopAsync()
    {
        await _admin.DisposeAsync();
        await _conductor.DisposeAsync();
    }

    [TestMethod]
    public async Task Revoke_LiveConnections_AreClosedAtOnceAndTheCredentialIsRefusedAfterwards()
    {
        HostCredential credential = await _conductor.IssueAsync("compute-a");
        await using RawClient first = await RawClient.AuthenticatedAsync(_conductor, credential);
        await using RawClient second = await RawClient.AuthenticatedAsync(_conductor, credential);
        await using RawClient bystander = await RawClient.AuthenticatedAsync(_conductor, await _conductor.IssueAsync("compute-b"));
        await first.CallAsync("services.Register", new ServiceRegistration { Binary = "compute-host", Version = "1.0.0" });

        CredentialInfo revoked = await Credentials.RevokeAsync(new CredentialRevocation { Name = "compute-a" }, CancellationToken.None);

        Assert.AreEqual(2, revoked.Connections);
        await first.WaitClosedAsync();
        await second.WaitClosedAsync();
        await using RawClient again = await RawClient.ConnectAsync(_conductor);
        await Assert.ThrowsExactlyAsync<StreamJsonRpc.RemoteInvocationException>(() => again.AuthenticateAsync(credential));
        Assert.AreEqual("compute-b", (await bystander.CallAsync("services.Register", new ServiceRegistration { Binary = "compute-host", Version = "1.0.0" })).GetProperty("host").GetString());
        await _conductor.Log.WaitForAsync(e => e.Message.Contains("AUDIT credential of 'compute-a' revoked by 'operator'; 2 live connection(s) closed.", StringComparison.Ordinal), SecureConductor.Timeout);
        CollectionAssert.AreEqual(new[] { AdminName, "compute-b", "operator" }, (await Credentials.ListAsync(CancellationToken.None)).Select(c => c.Name).ToArray());
    }

    [TestMethod]
    public async Task Revoke_ProxyOfTheRevokedHost_FailsWithTheConductorsRefusal()
    {
        HostCredential credential = await _conductor.IssueAsync("compute-a");
        await using ServiceProvider host = ProxyClient.Create(_conductor.Endpoint, credential);
        IServiceRepository services = host.GetRequiredService<IServiceRepository>();
        await services.RegisterAsync(new ServiceRegistration { Binary = "compute-host", Version = "1.0.0" }, CancellationToken.None);

        await Credentials.RevokeAsync(new CredentialRevocation { Name = "compute-a" }, CancellationToken.None);

        // The call either sees the connection drop or the refused reconnection; it never succeeds again.
        ConductorException failure = await Assert.ThrowsAsync<ConductorException>(() => services.HeartbeatAsync(CancellationToken.None));
        Assert.IsTrue(failure is ConductorUnavailableException or HandshakeRequiredException, failure.GetType().Name);
        HandshakeRequiredException refused = await Assert.ThrowsExactlyAsync<HandshakeRequiredException>(() => services.HeartbeatAsync(CancellationToken.None));
        StringAssert.StartsWith(refused.Message, "The conductor refused the credential of 'compute-a'");
    }

    [TestMethod]
    public async Task Rotate_OldCredentialsConnectionsClosedAndRefused_NewOneWorks()
    {
        HostCredential old = await _conductor.IssueAsync("compute-a");
        await using RawClient live = await RawClient.AuthenticatedAsync(_conductor, old);
        var rotated = HostCredential.Generate("compute-a", ConductorRole.Compute);

        CredentialInfo info = await Credentials.AddAsync(rotated.CreateVerifier(replace: true), CancellationToken.None);

        Assert.AreEqual(1, info.Connections);
        await live.WaitClosedAsync();
        await using RawClient withOld = await RawClient.ConnectAsync(_conductor);
        await Assert.ThrowsExactlyAsync<StreamJsonRpc.RemoteInvocationException>(() => withOld.AuthenticateAsync(old));
        await using RawClient withNew = await RawClient.AuthenticatedAsync(_conductor, rotated);
        Assert.AreEqual("compute-a", (await withNew.CallAsync("services.Register", new ServiceRegistration { Binary = "compute-host", Version = "1.0.0" })).GetProperty("host").GetString());
    }

    [TestMethod]
    public async Task Add_ExistingIdentityWithoutReplace_IsAConflictAndChangesNothing()
    {
        HostCredential credential = await _conductor.IssueAsync("compute-a");

        ConflictException conflict = await Assert.ThrowsExactlyAsync<ConflictException>(
            () => Credentials.AddAsync(HostCredential.Generate("compute-a", ConductorRole.Compute).CreateVerifier(), CancellationToken.None));
        ConflictException otherRole = await Assert.ThrowsExactlyAsync<ConflictException>(
            () => Credentials.AddAsync(HostCredential.Generate("compute-a", ConductorRole.Admin).CreateVerifier(replace: true), CancellationToken.None));

        StringAssert.StartsWith(conflict.Message, "'compute-a' already has a credential (issued ");
        Assert.AreEqual("'compute-a' already has a credential for the compute role. Identity names are unique across roles: revoke that credential first, or choose another name.", otherRole.Message);
        await using RawClient stillWorks = await RawClient.AuthenticatedAsync(_conductor, credential);
    }

    [TestMethod]
    public async Task Revoke_UnknownOrLastAdmin_IsRefused()
    {
        NotFoundException unknown = await Assert.ThrowsExactlyAsync<NotFoundException>(
            () => Credentials.RevokeAsync(new CredentialRevocation { Name = "ghost" }, CancellationToken.None));

        // The conductor made "admin" at start; with it gone, "operator" is the last admin.
        await Credentials.RevokeAsync(new CredentialRevocation { Name = AdminName }, CancellationToken.None);
        ConflictException lastAdmin = await Assert.ThrowsExactlyAsync<ConflictException>(
            () => Credentials.RevokeAsync(new CredentialRevocation { Name = "operator" }, CancellationToken.None));

        Assert.AreEqual("No credential exists for 'ghost'. List them with 'conductor hosts list'.", unknown.Message);
        StringAssert.StartsWith(lastAdmin.Message, "'operator' holds the last admin credential");
    }

    [TestMethod]
    public async Task Issue_StoresAVerifierOnly_WhichSurvivesARestart()
    {
        HostCredential credential = await _conductor.IssueAsync("compute-a");
        byte[] secret = System.Buffers.Text.Base64Url.DecodeFromChars(credential.Export().Split(':')[3]);

        CredentialDocumentView stored = CredentialDocumentView.Read(_conductor, "compute-a");
        await _admin.DisposeAsync();
        await _conductor.StopKeepingDataAsync();
        _conductor = await SecureConductor.StartAsync(dataDirectory: _conductor.DataDirectory);
        _admin = ProxyClient.Create(_conductor.Endpoint, await _conductor.IssueAsync("operator-2", ConductorRole.Admin));

        foreach (byte[] value in new[] { stored.StoredKey, stored.ServerKey, stored.Salt })
        {
            Assert.IsFalse(value.AsSpan().IndexOf(secret.AsSpan(0, 8)) >= 0, "The conductor must not store the secret.");
        }

        await using RawClient afterRestart = await RawClient.AuthenticatedAsync(_conductor, credential);
    }
}
