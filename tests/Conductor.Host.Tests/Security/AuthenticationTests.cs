using System.Buffers.Text;
using System.Security.Cryptography;
using Conductor.Abstractions;
using Conductor.Abstractions.Wire;
using Conductor.Proxy.Security;

namespace Conductor.Host.Tests.Security;

/// <summary>Every connection proves who it is (SCRAM-SHA-256) before anything but the handshake is callable.</summary>
[TestClass]
public sealed class AuthenticationTests
{
    private SecureConductor _conductor = null!;

    [TestInitialize]
    public async Task StartAsync() => _conductor = await SecureConductor.StartAsync(s => s.FailedAuthenticationsPerAddress = 1000);

    [TestCleanup]
    public async Task StopAsync() => await _conductor.DisposeAsync();

    [TestMethod]
    public async Task Authenticate_RightSecret_SucceedsAndTheConductorProvesItHoldsTheVerifier()
    {
        HostCredential credential = await _conductor.IssueAsync("compute-a");
        await using RawClient client = await RawClient.ConnectAsync(_conductor);

        HelloRequest hello = RawClient.Hello("compute-a", ConductorRole.Compute);
        HelloResponse answer = await client.HelloAsync(hello);
        HandshakeResponse response = await client.HandshakeAsync(RawClient.Handshake("compute-a", ConductorRole.Compute, RawClient.Proof(credential, hello, answer)));

        byte[] secret = Base64Url.DecodeFromChars(credential.Export().Split(':')[3]);
        ScramKeys keys = ScramSha256.DeriveKeys(secret, Convert.FromBase64String(answer.Salt), answer.Iterations);
        byte[] expected = ScramSha256.ServerSignature(keys.ServerKey, ScramSha256.AuthMessage(hello, answer, ScramSha256.NoChannelBinding));
        CollectionAssert.AreEqual(expected, Convert.FromBase64String(response.ServerSignature!));
        Assert.AreEqual(ConductorWire.ScramSha256, answer.Mechanism);
        await _conductor.Log.WaitForAsync(e => e.Message.Contains("AUDIT authenticated", StringComparison.Ordinal) && e.Message.Contains("'compute-a'", StringComparison.Ordinal), SecureConductor.Timeout);
    }

    [TestMethod]
    public async Task Call_BeforeAuthentication_EveryMemberAndAnyOtherName_IsRefusedWithHandshakeRequired()
    {
        HostCredential credential = await _conductor.IssueAsync("compute-a");
        await using RawClient client = await RawClient.ConnectAsync(_conductor);
        string[] methods =
        [
            .. BuiltInApis.All.SelectMany(t => ConductorApiDescriptor.Create(t).Members).Select(m => m.MethodName),
            "instances.ToString", "instances.GetHashCode", "rpc.discover", "System.Object.GetType", "Conductor.Host.Rpc.RpcSession.Close",
        ];

        foreach (string method in methods)
        {
            RpcError refused = await client.FailAsync(method);
            Assert.AreEqual(ConductorErrorCodes.HandshakeRequired, refused.ErrorCode, method);
            Assert.AreEqual(
                $"{method} was called before the connection authenticated. Call conductor.Hello and then conductor.Handshake first; nothing else is callable before them.",
                refused.Message);
        }

        // Refused calls do not break the connection: it may still authenticate, and then work.
        await client.AuthenticateAsync(credential);
        await client.CallAsync("services.Register", new { binary = "compute-host", version = "1.0.0" });
        Assert.IsTrue(_conductor.Log.Audit.Any(e => e.Message.Contains("before authenticating", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task Handshake_WithoutCredential_IsRefusedAndTheConnectionClosed()
    {
        await using RawClient client = await RawClient.ConnectAsync(_conductor);

        RpcError refused = await client.FailAsync(ConductorWire.HandshakeMethod, RawClient.Handshake("compute-a", ConductorRole.Compute, proof: null));

        Assert.AreEqual(ConductorErrorCodes.HandshakeRequired, refused.ErrorCode);
        Assert.AreEqual(
            "The conductor requires every connection to authenticate, and this one did not (it sent no credential and did not call conductor.Hello). Issue a credential for 'compute-a' with 'conductor hosts add compute-a' and configure it with Conductor:CredentialsFile.",
            refused.Message);
        await client.WaitClosedAsync();
    }

    [TestMethod]
    public async Task Authenticate_WrongSecretOrUnknownHost_RefusedAlikeAndTheReasonAudited()
    {
        await _conductor.IssueAsync("compute-a");
        var impostor = HostCredential.Generate("compute-a", ConductorRole.Compute);
        var ghost = HostCredential.Generate("ghost", ConductorRole.Compute);

        RpcError wrongSecret = await RefusedAsync(impostor);
        RpcError unknown = await RefusedAsync(ghost);

        Assert.AreEqual(ConductorErrorCodes.HandshakeRequired, wrongSecret.ErrorCode);
        Assert.AreEqual(
            "The conductor refused the credential of 'compute-a': it is unknown, revoked or replaced, or the proof did not match. Issue a new one with 'conductor hosts add compute-a --rotate' and configure it with Conductor:CredentialsFile.",
            wrongSecret.Message);
        Assert.AreEqual(wrongSecret.Message.Replace("compute-a", "ghost", StringComparison.Ordinal), unknown.Message, "The client must not learn which of the two it was.");
        await _conductor.Log.WaitForAsync(e => e.Message.Contains("'compute-a': the proof does not match", StringComparison.Ordinal), SecureConductor.Timeout);
        await _conductor.Log.WaitForAsync(e => e.Message.Contains("'ghost': no credential of that role exists", StringComparison.Ordinal), SecureConductor.Timeout);
    }

    [TestMethod]
    public async Task Hello_UnknownHost_GetsAStableDecoySaltShapedLikeARealOne()
    {
        await _conductor.IssueAsync("compute-a");

        HelloResponse real = await HelloAsync("compute-a");
        HelloResponse ghost1 = await HelloAsync("ghost");
        HelloResponse ghost2 = await HelloAsync("ghost");

        Assert.AreEqual(ghost1.Salt, ghost2.Salt, "A decoy salt that changed between hellos would reveal that the host is unknown.");
        Assert.AreEqual(Convert.FromBase64String(real.Salt).Length, Convert.FromBase64String(ghost1.Salt).Length);
        Assert.AreEqual(real.Iterations, ghost1.Iterations);
        Assert.AreNotEqual(ghost1.ServerNonce, ghost2.ServerNonce, "Every connection gets a fresh nonce.");
    }

    [TestMethod]
    public async Task Authenticate_ComputeCredentialClaimingAdminRole_IsRefused()
    {
        HostCredential credential = await _conductor.IssueAsync("compute-a");
        await using RawClient client = await RawClient.ConnectAsync(_conductor);

        HelloRequest hello = RawClient.Hello("compute-a", ConductorRole.Admin);
        HelloResponse answer = await client.HelloAsync(hello);
        RpcError refused = await client.FailAsync(
            ConductorWire.HandshakeMethod, RawClient.Handshake("compute-a", ConductorRole.Admin, RawClient.Proof(credential, hello, answer)));

        Assert.AreEqual(ConductorErrorCodes.HandshakeRequired, refused.ErrorCode);
        await client.WaitClosedAsync();
    }

    [TestMethod]
    public async Task Handshake_Replayed_OnANewConnectionWithTheSameHello_IsRefused()
    {
        HostCredential credential = await _conductor.IssueAsync("compute-a");
        HelloRequest recordedHello;
        HandshakeRequest recordedHandshake;
        HelloResponse firstAnswer;
        await using (RawClient original = await RawClient.ConnectAsync(_conductor))
        {
            recordedHello = RawClient.Hello("compute-a", ConductorRole.Compute);
            firstAnswer = await original.HelloAsync(recordedHello);
            recordedHandshake = RawClient.Handshake("compute-a", ConductorRole.Compute, RawClient.Proof(credential, recordedHello, firstAnswer));
            await original.HandshakeAsync(recordedHandshake);
        }

        // An eavesdropper replays both messages, byte for byte, on a connection of its own.
        await using RawClient replay = await RawClient.ConnectAsync(_conductor);
        HelloResponse secondAnswer = await replay.HelloAsync(recordedHello);
        RpcError refused = await replay.FailAsync(ConductorWire.HandshakeMethod, recordedHandshake);

        Assert.AreNotEqual(firstAnswer.ServerNonce, secondAnswer.ServerNonce);
        Assert.AreEqual(ConductorErrorCodes.HandshakeRequired, refused.ErrorCode);
        await replay.WaitClosedAsync();

        // Without the hello, the recorded proof has nothing to be checked against.
        await using RawClient bare = await RawClient.ConnectAsync(_conductor);
        Assert.AreEqual(ConductorErrorCodes.HandshakeRequired, (await bare.FailAsync(ConductorWire.HandshakeMethod, recordedHandshake)).ErrorCode);
    }

    [TestMethod]
    public async Task Handshake_Twice_OnAnAuthenticatedConnection_IsRefused()
    {
        HostCredential credential = await _conductor.IssueAsync("compute-a");
        await using RawClient client = await RawClient.AuthenticatedAsync(_conductor, credential);

        RpcError again = await client.FailAsync(ConductorWire.HandshakeMethod, client.LastHandshake);
        RpcError hello = await client.FailAsync(ConductorWire.HelloMethod, RawClient.Hello("compute-a", ConductorRole.Compute));

        Assert.AreEqual(ConductorErrorCodes.HandshakeRequired, again.ErrorCode);
        Assert.AreEqual(ConductorErrorCodes.HandshakeRequired, hello.ErrorCode);
    }

    [TestMethod]
    public async Task Handshake_ClaimingAnotherHostThanItsHello_IsRefused()
    {
        HostCredential a = await _conductor.IssueAsync("compute-a");
        await _conductor.IssueAsync("compute-b");
        await using RawClient client = await RawClient.ConnectAsync(_conductor);

        HelloRequest hello = RawClient.Hello("compute-a", ConductorRole.Compute);
        HelloResponse answer = await client.HelloAsync(hello);
        RpcError refused = await client.FailAsync(
            ConductorWire.HandshakeMethod, RawClient.Handshake("compute-b", ConductorRole.Compute, RawClient.Proof(a, hello, answer)));

        Assert.AreEqual(ConductorErrorCodes.HandshakeRequired, refused.ErrorCode);
        await _conductor.Log.WaitForAsync(e => e.Message.Contains("claims Compute 'compute-b' but its hello claimed Compute 'compute-a'", StringComparison.Ordinal), SecureConductor.Timeout);
    }

    [TestMethod]
    public async Task Hello_Malformed_IsAnsweredWithInvalidArgument()
    {
        await using RawClient client = await RawClient.ConnectAsync(_conductor);

        RpcError refused = await client.FailAsync(ConductorWire.HelloMethod, RawClient.Hello("compute-a", ConductorRole.Compute, nonce: "c2hvcnQ="));

        Assert.AreEqual(ConductorErrorCodes.InvalidArgument, refused.ErrorCode);
        Assert.AreEqual("The hello's clientNonce must be 16 to 64 random bytes, base64.", refused.Message);
    }

    private async Task<RpcError> RefusedAsync(HostCredential credential)
    {
        await using RawClient client = await RawClient.ConnectAsync(_conductor);
        HelloRequest hello = RawClient.Hello(credential.Name, credential.Role);
        HelloResponse answer = await client.HelloAsync(hello);
        RpcError refused = await client.FailAsync(
            ConductorWire.HandshakeMethod, RawClient.Handshake(credential.Name, credential.Role, RawClient.Proof(credential, hello, answer)));
        await client.WaitClosedAsync();
        return refused;
    }

    private async Task<HelloResponse> HelloAsync(string host)
    {
        await using RawClient client = await RawClient.ConnectAsync(_conductor);
        return await client.HelloAsync(RawClient.Hello(host, ConductorRole.Compute, Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))));
    }
}
