using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Conductor.Abstractions;
using Conductor.Host.Tests.Rpc;

namespace Conductor.Host.Tests.Docs;

/// <summary>
/// docs/protocol.md is what a client in another language is written from, so it must not drift from the code: its
/// tables are compared with the contracts, and its worked example is replayed against a real conductor.
/// </summary>
[TestClass]
public sealed class ProtocolDocumentTests
{
    private static readonly ProtocolDocument s_document = ProtocolDocument.Load();
    private static readonly Regex s_time = new(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", RegexOptions.None, TimeSpan.FromSeconds(1));

    [TestMethod]
    public void ApisTable_ListsEveryBuiltInApiWithItsVersionAndRole()
    {
        string[] expected = [.. WireContract.Apis.Select(WireContract.ApiRow)];

        CollectionAssert.AreEqual(expected, ProtocolDocument.TableRows(s_document.Region("apis")).ToArray(), Mismatch("apis", expected));
    }

    [TestMethod]
    public void MethodsTable_ListsEveryContractMemberWithItsParametersAndResult()
    {
        string[] expected = [.. WireContract.Apis.SelectMany(a => a.Members).Select(WireContract.MethodRow)];

        CollectionAssert.AreEqual(expected, ProtocolDocument.TableRows(s_document.Region("methods")).ToArray(), Mismatch("methods", expected));
    }

    [TestMethod]
    public void TypesSection_DescribesEveryFieldOfEveryTypeOnTheWire()
    {
        string[] region = s_document.Region("types");
        IReadOnlyList<Type> types = WireContract.ObjectTypes();

        CollectionAssert.AreEquivalent(
            types.Select(WireContract.Heading).ToArray(),
            region.Where(l => l.StartsWith("#### ", StringComparison.Ordinal)).ToArray(),
            "docs/protocol.md must have one '#### `Type`' section per type that crosses the wire, and no others.");
        foreach (Type type in types)
        {
            int heading = Array.IndexOf(region, WireContract.Heading(type));
            string[] rows = [.. ProtocolDocument.TableRows(region.Skip(heading + 1).TakeWhile(l => !l.StartsWith("#### ", StringComparison.Ordinal)))
                .Select(r => string.Join(" | ", ProtocolDocument.Cells(r).Take(3)))];
            string[] expected = [.. WireContract.Fields(type).Select(f => $"`{f.Name}` | {f.Type} | {f.Required}")];
            CollectionAssert.AreEqual(expected, rows, $"The fields of {WireContract.Heading(type)} (name | type | required, in declaration order) should be:\n{string.Join('\n', expected)}");
        }
    }

    [TestMethod]
    public void EnumsTable_ListsEveryWireValue()
    {
        string[] expected = [.. WireContract.Enums().Select(WireContract.EnumRow)];

        CollectionAssert.AreEquivalent(expected, ProtocolDocument.TableRows(s_document.Region("enums")).ToArray(), Mismatch("enums", expected));
    }

    [TestMethod]
    public void ErrorsTable_ListsEveryConductorErrorCode()
    {
        string[] expected = [.. typeof(ConductorErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .OrderBy(f => (int)f.GetRawConstantValue()!)
            .Select(f => $"{(int)f.GetRawConstantValue()!} | `{f.Name}`")];

        string[] rows = [.. ProtocolDocument.TableRows(s_document.Region("errors")).Select(r => string.Join(" | ", ProtocolDocument.Cells(r).Take(2)))];

        CollectionAssert.AreEqual(expected, rows, Mismatch("errors", expected));
    }

    [TestMethod]
    public void FrameExample_ContentLengthCountsTheBodyInBytes()
    {
        (int length, string body) = s_document.FrameExample();

        Assert.AreEqual(Encoding.UTF8.GetByteCount(body), length);
        Assert.AreEqual(body, s_document.WorkedExample().First(s => s.Sends && s.Json.Contains("conductor.Handshake", StringComparison.Ordinal)).Json, "The framed message is the worked example's first handshake.");
    }

    [TestMethod]
    public async Task WorkedExample_ReplayedAgainstAConductor_GetsTheDocumentedAnswers()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        IReadOnlyList<(string Connection, bool Sends, string Json)> steps = s_document.WorkedExample();
        Assert.IsGreaterThan(10, steps.Count, "The worked example was not found or is too short.");
        await using WireConductor conductor = await WireConductor.StartAsync();
        var connections = new Dictionary<string, WireConnection>(StringComparer.Ordinal);
        var sent = new HashSet<string>(StringComparer.Ordinal);
        var times = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            foreach ((string name, bool sends, string json) in steps)
            {
                if (!connections.TryGetValue(name, out WireConnection? connection))
                {
                    connection = await conductor.ConnectAsync(timeout.Token);
                    connections[name] = connection;
                }

                if (sends)
                {
                    Assert.DoesNotContain('\n', json, $"A sent message is one line, as on the wire: {json}");
                    await connection.SendAsync(json, timeout.Token);
                    Collect(JsonNode.Parse(json), sent);
                    continue;
                }

                WireFrame answer = await connection.ReceiveAsync(timeout.Token);
                AssertSameAnswer(JsonNode.Parse(json)!, answer.Json, "$", sent, times, $"{name}: expected\n{json}\nbut the conductor answered\n{answer.Body}");
            }
        }
        finally
        {
            foreach (WireConnection connection in connections.Values)
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Compares a documented answer with the real one: the same members, arrays and values, except that times (unless
    /// the client sent that time) and connection ids vary from run to run. The same documented time must stand for the
    /// same real time everywhere, so "unchanged" and "equal" relations between times are checked too.
    /// </summary>
    private static void AssertSameAnswer(JsonNode expected, JsonNode? actual, string path, HashSet<string> sent, Dictionary<string, string> times, string context)
    {
        switch (expected)
        {
            case JsonObject expectedObject:
                JsonObject actualObject = actual as JsonObject ?? throw new AssertFailedException($"{path} is not an object. {context}");
                CollectionAssert.AreEquivalent(expectedObject.Select(p => p.Key).ToArray(), actualObject.Select(p => p.Key).ToArray(), $"The members of {path} differ. {context}");
                foreach ((string key, JsonNode? value) in expectedObject)
                {
                    AssertSameAnswer(value!, actualObject[key], $"{path}.{key}", sent, times, context);
                }

                break;
            case JsonArray expectedArray:
                JsonArray actualArray = actual as JsonArray ?? throw new AssertFailedException($"{path} is not an array. {context}");
                Assert.HasCount(expectedArray.Count, actualArray, $"{path} has another length. {context}");
                for (int i = 0; i < expectedArray.Count; i++)
                {
                    AssertSameAnswer(expectedArray[i]!, actualArray[i], $"{path}[{i}]", sent, times, context);
                }

                break;
            default:
                string? text = expected.GetValueKind() == System.Text.Json.JsonValueKind.String ? (string?)expected : null;
                if (path.EndsWith(".connectionId", StringComparison.Ordinal))
                {
                    StringAssert.Matches((string?)actual, new Regex("^c[0-9]+$", RegexOptions.None, TimeSpan.FromSeconds(1)), context);
                }
                else if (path.EndsWith(".serverName", StringComparison.Ordinal))
                {
                    StringAssert.StartsWith((string?)actual, "conductor/", context);
                }
                else if (text is not null && s_time.IsMatch(text) && !sent.Contains(text))
                {
                    string real = (string?)actual ?? throw new AssertFailedException($"{path} is missing. {context}");
                    StringAssert.Matches(real, s_time, $"{path} is not a UTC millisecond time. {context}");
                    Assert.AreEqual(times.TryAdd(text, real) ? real : times[text], real, $"{path}: the document shows the same time here as elsewhere, but the conductor answered another. {context}");
                }
                else
                {
                    Assert.IsTrue(JsonNode.DeepEquals(expected, actual), $"{path} differs. {context}");
                }

                break;
        }
    }

    private static void Collect(JsonNode? node, HashSet<string> strings)
    {
        switch (node)
        {
            case JsonObject o:
                foreach ((_, JsonNode? value) in o)
                {
                    Collect(value, strings);
                }

                break;
            case JsonArray a:
                foreach (JsonNode? item in a)
                {
                    Collect(item, strings);
                }

                break;
            case JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String:
                strings.Add((string)v!);
                break;
        }
    }

    private static string Mismatch(string region, IEnumerable<string> expected) =>
        $"The '{region}' table of docs/protocol.md does not match the code. It should read:\n{string.Join('\n', expected)}";
}
