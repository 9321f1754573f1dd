using System.Text.Json;
using Conductor.Abstractions.Compute;
using Conductor.Abstractions.Wire;
using StreamJsonRpc;

namespace Conductor.Proxy.Tests;

/// <summary>
/// Every connection's formatter writes exactly the wire's JSON, while the contract types' serializer metadata is built
/// once per process and shared by all connections (a conductor holds a thousand of them).
/// </summary>
[TestClass]
public sealed class WireFormatTests
{
    private static readonly Instance Sample = new()
    {
        Id = Guid.CreateVersion7(),
        Name = "vm-1",
        Host = "compute-1",
        Flavor = new Flavor { Vcpus = 2, MemoryMb = 1024, DiskGb = 10 },
        VmState = VmState.Active,
        TaskState = TaskState.None,
        PowerState = PowerState.Running,
        CreatedAtUtc = new DateTime(2026, 11, 26, 12, 0, 0, 123, DateTimeKind.Utc),
        UpdatedAtUtc = new DateTime(2026, 11, 26, 12, 5, 0, DateTimeKind.Utc),
        Revision = 7,
        Metadata = new Dictionary<string, string> { ["role"] = "web" },
    };

    [TestMethod]
    public void ConnectionFormatter_WritesTheWiresJson_AndReadsItBack()
    {
        JsonSerializerOptions connection = Options(ConductorWireFormat.CreateFormatter());

        string written = JsonSerializer.Serialize(Sample, connection);
        string expected = JsonSerializer.Serialize(Sample, ConductorWire.CreateJsonSerializerOptions());

        Assert.AreEqual(expected, written);
        Assert.AreEqual(Sample, JsonSerializer.Deserialize<Instance>(written, connection));
        Assert.IsNull(JsonSerializer.Deserialize<Instance>("null", connection));
    }

    [TestMethod]
    public void Connections_ShareTheContractTypesMetadata()
    {
        JsonSerializerOptions first = Options(ConductorWireFormat.CreateFormatter());
        JsonSerializerOptions second = Options(ConductorWireFormat.CreateFormatter());
        JsonSerializer.Serialize(Sample, first);
        JsonSerializer.Serialize(Sample, second);

        Assert.AreNotSame(first, second, "StreamJsonRpc gives each formatter options of its own.");
        Assert.AreEqual(0, first.GetTypeInfo(typeof(Instance)).Properties.Count, "A connection must not build property metadata of its own for a contract type.");
        Assert.AreEqual(0, second.GetTypeInfo(typeof(Flavor)).Properties.Count);
    }

    private static JsonSerializerOptions Options(IJsonRpcMessageFormatter formatter) => ((SystemTextJsonFormatter)formatter).JsonSerializerOptions;
}
