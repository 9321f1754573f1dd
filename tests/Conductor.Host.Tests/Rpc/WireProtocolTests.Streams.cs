using System.Text.Json.Nodes;

namespace Conductor.Host.Tests.Rpc;

/// <content>Members that return IAsyncEnumerable: a token, then values pulled with $/enumerator/next.</content>
public sealed partial class WireProtocolTests
{
    [TestMethod]
    public async Task Stream_Result_IsATokenWhoseValuesArePulledUntilFinished()
    {
        await using WireConnection connection = await OpenAsync();

        JsonObject handle = AssertResult(await connection.CallAsync("""{"jsonrpc":"2.0","id":2,"method":"wire-test.Count","params":[2]}""", Ct));
        string token = handle["token"]!.ToJsonString();
        WireFrame one = await connection.CallAsync($$$"""{"jsonrpc":"2.0","id":3,"method":"$/enumerator/next","params":{"token":{{{token}}}}}""", Ct);
        WireFrame two = await connection.CallAsync($$"""{"jsonrpc":"2.0","id":4,"method":"$/enumerator/next","params":[{{token}}]}""", Ct);
        WireFrame end = await connection.CallAsync($$"""{"jsonrpc":"2.0","id":5,"method":"$/enumerator/next","params":[{{token}}]}""", Ct);
        WireFrame gone = await connection.CallAsync($$"""{"jsonrpc":"2.0","id":6,"method":"$/enumerator/next","params":[{{token}}]}""", Ct);

        CollectionAssert.AreEquivalent(new[] { "token" }, handle.Select(p => p.Key).ToArray());
        Assert.AreEqual("""{"values":[1],"finished":false}""", AssertResult(one).ToJsonString());
        Assert.AreEqual("""{"values":[2],"finished":false}""", AssertResult(two).ToJsonString());
        Assert.AreEqual("""{"values":[],"finished":true}""", AssertResult(end).ToJsonString());
        AssertError(gone, 6, -32001);
    }

    [TestMethod]
    public async Task Stream_Aborted_ReleasesTheToken()
    {
        await using WireConnection connection = await OpenAsync();
        JsonObject handle = AssertResult(await connection.CallAsync("""{"jsonrpc":"2.0","id":2,"method":"wire-test.Count","params":[100]}""", Ct));
        string token = handle["token"]!.ToJsonString();
        AssertResult(await connection.CallAsync($$$"""{"jsonrpc":"2.0","id":3,"method":"$/enumerator/next","params":{"token":{{{token}}}}}""", Ct));

        WireFrame abort = await connection.CallAsync($$$"""{"jsonrpc":"2.0","id":4,"method":"$/enumerator/abort","params":{"token":{{{token}}}}}""", Ct);
        WireFrame next = await connection.CallAsync($$$"""{"jsonrpc":"2.0","id":5,"method":"$/enumerator/next","params":{"token":{{{token}}}}}""", Ct);

        Assert.AreEqual("""{"jsonrpc":"2.0","id":4,"result":null}""", abort.Body);
        AssertError(next, 5, -32001);
    }
}
