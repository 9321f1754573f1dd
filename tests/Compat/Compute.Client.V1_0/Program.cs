extern alias v1;

using System.Text.Json;
using Conductor.Abstractions;
using Conductor.Abstractions.Wire;
using Conductor.Proxy;
using Microsoft.Extensions.DependencyInjection;
using StreamJsonRpc;
using V1 = v1::Conductor.Abstractions.Compute;

// Usage: Compute.Client.V1_0 <endpoint> <host> <verb> [arguments]
if (args.Length < 3)
{
    await Console.Error.WriteLineAsync("usage: Compute.Client.V1_0 <tcp://host:port> <host-name> <verb> [arguments]");
    return 2;
}

string endpoint = args[0];
string host = args[1];
string verb = args[2];
string[] rest = args[3..];
JsonSerializerOptions json = ConductorWire.CreateJsonSerializerOptions();
Type[] v1Apis = [typeof(V1.IServiceRepository), typeof(V1.IComputeNodeRepository), typeof(V1.IInstanceRepository), typeof(V1.IInstanceActionRepository)];
using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
CancellationToken token = timeout.Token;

var services = new ServiceCollection();
IConductorClientBuilder builder = services.AddConductorClient(o =>
{
    o.Endpoint = endpoint;
    o.HostName = host;
    o.ClientName = "compute-client/1.0";
    o.CallTimeout = TimeSpan.FromSeconds(30);
    o.ConnectTimeout = TimeSpan.FromSeconds(10);
}).WithoutBuiltInApis();
foreach (Type api in v1Apis)
{
    builder.AddApi(api);
}

await using ServiceProvider provider = services.BuildServiceProvider();
try
{
    object? result = verb switch
    {
        "handshake" => await provider.GetRequiredService<IConductorConnection>().ConnectAsync(token),
        "register" => await RegisterAsync(),
        "list" => await ListAsync(),
        "get" => await provider.GetRequiredService<V1.IInstanceRepository>().GetAsync(Guid.Parse(rest[0]), token),
        "update" => await UpdateAsync(),
        "mark-deleted" => await provider.GetRequiredService<V1.IInstanceRepository>().MarkDeletedAsync(
            new V1.InstanceDeletion { InstanceId = Guid.Parse(rest[0]), ExpectedTaskState = V1.TaskState.Deleting }, token),
        "action" => await ActionAsync(),
        "raw-get" => await RawGetAsync(),
        "raw-handshake" => await RawHandshakeAsync(),
        _ => throw new ArgumentException($"Unknown verb '{verb}'."),
    };
    Console.Out.WriteLine(JsonSerializer.Serialize(result, json));
    return 0;
}
catch (ConductorException ex)
{
    Console.Error.WriteLine(JsonSerializer.Serialize(new { type = ex.GetType().Name, code = ex.ErrorCode, message = ex.Message }, json));
    return 1;
}
catch (RemoteInvocationException ex)
{
    Console.Error.WriteLine(JsonSerializer.Serialize(new { type = nameof(RemoteInvocationException), code = ex.ErrorCode, message = ex.Message }, json));
    return 1;
}

async Task<object> RegisterAsync()
{
    V1.ServiceRecord record = await provider.GetRequiredService<V1.IServiceRepository>().RegisterAsync(
        new V1.ServiceRegistration { Binary = "compute-host", Version = "1.0.0" }, token);
    await provider.GetRequiredService<V1.IComputeNodeRepository>().ReportAsync(
        new V1.ComputeNodeReport { VcpusTotal = 64, MemoryMbTotal = 262144, DiskGbTotal = 1000, HypervisorType = "simulated" }, token);
    return record;
}

async Task<object> ListAsync()
{
    var instances = provider.GetRequiredService<V1.IInstanceRepository>();
    var all = new List<V1.Instance>();
    string? after = null;
    do
    {
        V1.Page<V1.Instance> page = await instances.ListAsync(new V1.PageRequest { After = after, Limit = 2 }, token);
        all.AddRange(page.Items);
        after = page.NextPageToken;
    }
    while (after is not null);
    return all;
}

async Task<object> UpdateAsync()
{
    // update <id> <expected task state> <new task state> [<new vm state>]
    var update = new V1.InstanceUpdate
    {
        InstanceId = Guid.Parse(rest[0]),
        ExpectedTaskState = Enum.Parse<V1.TaskState>(rest[1], ignoreCase: true),
        TaskState = Enum.Parse<V1.TaskState>(rest[2], ignoreCase: true),
        VmState = rest.Length > 3 ? Enum.Parse<V1.VmState>(rest[3], ignoreCase: true) : null,
    };
    return await provider.GetRequiredService<V1.IInstanceRepository>().UpdateAsync(update, token);
}

async Task<object> ActionAsync()
{
    // action <instance id> <name>: starts and finishes an action, then lists the instance's actions.
    var actions = provider.GetRequiredService<V1.IInstanceActionRepository>();
    Guid instanceId = Guid.Parse(rest[0]);
    V1.InstanceAction started = await actions.StartAsync(new V1.InstanceActionStart { InstanceId = instanceId, Action = rest[1] }, token);
    await actions.FinishAsync(new V1.InstanceActionFinish { ActionId = started.Id, Result = V1.ActionResult.Success }, token);
    return await actions.ListAsync(instanceId, token);
}

async Task<object> RawGetAsync()
{
    // What the conductor sends this client, before any DTO hides a field: the same handshake, then instances.Get.
    var announced = v1Apis.Select(ConductorApiDescriptor.Create).ToDictionary(d => d.Name, d => d.Version.ToString());
    using JsonRpc rpc = await OpenRawAsync(announced);
    return await rpc.InvokeWithCancellationAsync<JsonElement>("instances.Get", [Guid.Parse(rest[0])], token);
}

async Task<object> RawHandshakeAsync()
{
    // raw-handshake api=version ...: announce exactly these versions (for example a major this build does not have).
    var announced = rest.Select(a => a.Split('=')).ToDictionary(p => p[0], p => p[1]);
    using JsonRpc rpc = await OpenRawAsync(announced);
    return "handshake accepted";
}

async Task<JsonRpc> OpenRawAsync(Dictionary<string, string> announced)
{
    var uri = new Uri(endpoint);
    var client = new System.Net.Sockets.TcpClient();
    await client.ConnectAsync(uri.Host, uri.Port, token);
    var rpc = new JsonRpc(ConductorWireFormat.CreateMessageHandler(client.GetStream()));
    rpc.StartListening();
    try
    {
        await rpc.InvokeWithCancellationAsync<HandshakeResponse>(
            ConductorWire.HandshakeMethod,
            [new HandshakeRequest { ClientName = "compute-client/1.0 (raw)", Role = ConductorRole.Compute, HostName = host, Apis = announced }],
            token);
        return rpc;
    }
    catch
    {
        rpc.Dispose();
        throw;
    }
}
