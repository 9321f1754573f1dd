using BenchmarkDotNet.Attributes;
using Conductor.Abstractions.Compute;
using Conductor.Benchmarks.Infrastructure;

namespace Conductor.Benchmarks;

/// <summary>
/// Reads and durable writes from <see cref="Connections"/> callers that each have a TCP connection of their own, as
/// that many compute hosts' agents would, next to <see cref="InstanceCallBenchmarks"/>' callers that share one
/// connection. Issue 5's "16+ concurrent writers" does not say which; both are reported.
/// </summary>
public class ConnectionsBenchmarks
{
    /// <summary>How many connections, each with one caller.</summary>
    public const int Connections = InstanceCallBenchmarks.Callers;

    private BenchConductor _conductor = null!;
    private ProxyClient[] _clients = [];
    private IInstanceRepository[] _instances = [];
    private Guid[] _ids = [];

    /// <summary>Starts the conductor and opens the connections.</summary>
    /// <returns>A task that completes when every connection is up.</returns>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        _conductor = await BenchConductor.StartAsync(Connections).ConfigureAwait(false);
        _ids = [.. _conductor.Instances];
        _clients = await Task.WhenAll(Enumerable.Range(0, Connections).Select(_ => ProxyClient.ConnectTcpAsync(_conductor))).ConfigureAwait(false);
        _instances = [.. _clients.Select(c => c.Instances)];
    }

    /// <summary>Closes the connections and stops the conductor.</summary>
    /// <returns>A task that completes when everything is released.</returns>
    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        Console.WriteLine($"// {Connections} connections: {_conductor.DescribeGroupCommit()}");
        foreach (ProxyClient client in _clients)
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }

        await _conductor.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Reads with one caller per connection, each reading its own instance.</summary>
    /// <returns>A task that completes when every read has.</returns>
    [Benchmark(OperationsPerInvoke = Connections * InstanceCallBenchmarks.CallsEach)]
    public Task Get_16_connections() =>
        Concurrent.RunAsync(Connections, InstanceCallBenchmarks.CallsEach, (caller, _) => _instances[caller].GetAsync(_ids[caller], CancellationToken.None));

    /// <summary>Updates with one caller per connection, each updating its own instance (durable before each answer).</summary>
    /// <returns>A task that completes when every update has.</returns>
    [Benchmark(OperationsPerInvoke = Connections * InstanceCallBenchmarks.CallsEach)]
    public Task Update_16_connections() =>
        Concurrent.RunAsync(Connections, InstanceCallBenchmarks.CallsEach, (caller, i) => _instances[caller].UpdateAsync(InstanceChanges.PowerFlip(_ids[caller], i), CancellationToken.None));
}
