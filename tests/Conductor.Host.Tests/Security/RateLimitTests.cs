using Conductor.Abstractions;
using Conductor.Abstractions.Wire;
using Conductor.Proxy.Security;

namespace Conductor.Host.Tests.Security;

/// <summary>Failed authentications are limited per address and per identity, and every refusal is audited.</summary>
[TestClass]
public sealed class RateLimitTests
{
    [TestMethod]
    public async Task Authenticate_AfterTooManyFailuresFromAnAddress_IsRefusedUncheckedEvenWithTheRightSecret()
    {
        await using SecureConductor conductor = await SecureConductor.StartAsync(s => s.FailedAuthenticationsPerAddress = 3);
        HostCredential credential = await conductor.IssueAsync("compute-a");
        var wrong = HostCredential.Generate("compute-a", ConductorRole.Compute);
        for (int i = 0; i < 3; i++)
        {
            await AttemptAsync(conductor, wrong);
        }

        RpcError refused = await AttemptAsync(conductor, credential);

        Assert.AreEqual(ConductorErrorCodes.HandshakeRequired, refused.ErrorCode);
        StringAssert.StartsWith(refused.Message, "The conductor refused this authentication unchecked: too many failed attempts came from this address or named 'compute-a' recently. Check the credential, then retry in about ");
        await conductor.Log.WaitForAsync(e => e.Category == "Conductor.Audit" && e.Message.Contains("refused unchecked", StringComparison.Ordinal), SecureConductor.Timeout);
        Assert.AreEqual(3, conductor.Log.Audit.Count(e => e.Message.Contains("AUDIT authentication failed", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task Authenticate_AfterTooManyFailuresForAnIdentity_RefusesThatIdentityOnly()
    {
        await using SecureConductor conductor = await SecureConductor.StartAsync(s =>
        {
            s.FailedAuthenticationsPerAddress = 1000;
            s.FailedAuthenticationsPerIdentity = 2;
        });
        HostCredential a = await conductor.IssueAsync("compute-a");
        HostCredential b = await conductor.IssueAsync("compute-b");
        var wrong = HostCredential.Generate("compute-a", ConductorRole.Compute);
        await AttemptAsync(conductor, wrong);
        await AttemptAsync(conductor, wrong);

        RpcError refused = await AttemptAsync(conductor, a);
        await using RawClient other = await RawClient.AuthenticatedAsync(conductor, b);

        Assert.AreEqual(ConductorErrorCodes.HandshakeRequired, refused.ErrorCode);
        StringAssert.Contains(refused.Message, "too many failed attempts");
    }

    private static async Task<RpcError> AttemptAsync(SecureConductor conductor, HostCredential credential)
    {
        await using RawClient client = await RawClient.ConnectAsync(conductor);
        HelloRequest hello = RawClient.Hello(credential.Name, credential.Role);
        HelloResponse answer = await client.HelloAsync(hello);
        return await client.FailAsync(ConductorWire.HandshakeMethod, RawClient.Handshake(credential.Name, credential.Role, RawClient.Proof(credential, hello, answer)));
    }
}
