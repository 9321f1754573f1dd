using System.Collections.Concurrent;
using Conductor.Abstractions.Compute;

namespace Conductor.Host.Tests.Storage;

[TestClass]
public sealed class FirstWriteRaceTests
{
    [TestMethod]
    public async Task AdminList_WhileHostsRegisterOnFreshDatabase_NeverFails()
    {
        var errors = new ConcurrentQueue<Exception>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int rounds = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(60) && errors.IsEmpty)
        {
            rounds++;
            using var sync = new GatedStorageSync();
            using var fixture = new StorageFixture(sync);
            using var cts = new CancellationTokenSource(StorageFixture.Timeout);
            using var stop = new CancellationTokenSource();
            var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        await fixture.AdminServices().ListAsync(cts.Token);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        errors.Enqueue(ex);
                        return;
                    }
                }
            })).ToArray();
            var writers = new[] { "host-a", "host-b" }.Select(host => Task.Run(async () =>
            {
                await fixture.Services(host).RegisterAsync(new ServiceRegistration { Binary = "compute-host", Version = "1.0" }, cts.Token);
                await fixture.Nodes(host).ReportAsync(new ComputeNodeReport { VcpusTotal = 8, MemoryMbTotal = 1024, DiskGbTotal = 10, HypervisorType = "simulated" }, cts.Token);
                await fixture.Services(host).HeartbeatAsync(cts.Token);
            })).ToArray();
            try { await Task.WhenAll(writers); } catch (Exception ex) { errors.Enqueue(ex); }
            stop.Cancel();
            await Task.WhenAll(readers);
        }

        Console.WriteLine($"rounds: {rounds}, elapsed {clock.Elapsed}");
        foreach (Exception ex in errors)
        {
            Console.WriteLine(ex);
        }

        Assert.IsTrue(errors.IsEmpty, errors.FirstOrDefault()?.ToString());
    }
}
