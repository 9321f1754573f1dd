using System.Diagnostics;
using System.Globalization;
using System.Text;
using Conductor.Abstractions;
using Conductor.Abstractions.Admin;
using Conductor.Abstractions.Compute;
using Conductor.Benchmarks.Infrastructure;
using Conductor.Processes;
using Conductor.Proxy;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.Benchmarks.Listing;

/// <summary>
/// Issue 5's "listing 100,000 instances never materialises them all at once": seeds a data directory with N
/// instances, starts a real <c>Conductor.Host serve</c> on it, lists every instance through the admin proxy in keyset
/// pages of 1,000 while sampling the conductor's and this client's memory, then through the CLI
/// (<c>instances list --json</c> to <c>/dev/null</c>); the same for a small N, so that bounded memory shows as peaks
/// that do not grow with N.
/// </summary>
internal static class ListingRun
{
    private const int PageSize = PageRequest.MaxLimit;

    /// <summary>Measures each size in turn and prints (and writes, when given a path) the table.</summary>
    /// <param name="sizes">The instance counts to measure, smallest first.</param>
    /// <param name="heapLimitMb">A GC heap hard limit for the conductor, in MB, or 0 for none.</param>
    /// <param name="output">Where to write the table, or <see langword="null"/>.</param>
    /// <param name="gcdumpDirectory">
    /// Where to write a heap dump of the conductor after each proxy listing (<c>dotnet-gcdump</c>, from the repository's
    /// tool manifest; it runs a full collection, so it shows what the conductor still holds), or <see langword="null"/>.
    /// </param>
    /// <returns>A task that completes when the table is written.</returns>
    public static async Task RunAsync(IReadOnlyList<int> sizes, int heapLimitMb, string? output, string? gcdumpDirectory)
    {
        var culture = CultureInfo.InvariantCulture;
        var table = new StringBuilder();
        table.AppendLine(culture, $"## Listing every instance in pages of {PageSize:N0}{(heapLimitMb > 0 ? $", conductor GC heap capped at {heapLimitMb} MB" : "")}");
        table.AppendLine();
        table.AppendLine("| instances | seeding | proxy: time, instances/s | conductor resident: before / peak while listing (VmHWM) | conductor CPU | client GC heap: before / peak sampled / after (collected) | client working set: before / peak sampled | client allocated | CLI `instances list --json`: time, peak resident |");
        table.AppendLine("|---:|---:|---|---|---:|---|---|---:|---|");
        foreach (int size in sizes)
        {
            table.AppendLine(await MeasureAsync(size, heapLimitMb, gcdumpDirectory).ConfigureAwait(false));
        }

        string text = table.ToString();
        await ReportOutput.PrintAndSaveAsync(text, output).ConfigureAwait(false);
    }

    private static async Task<string> MeasureAsync(int count, int heapLimitMb, string? gcdumpDirectory)
    {
        // The shared launcher (tools/Conductor.Processes) runs the conductor, as for the load generator and the crash
        // loop; it deletes the directory, seeded data included, when it is disposed.
        await using LocalCluster cluster = LocalCluster.Create(
            HostBinaries.Locate(),
            new ProcessLog(Console.Error),
            Path.Combine(Path.GetTempPath(), "conductor-listing", Guid.NewGuid().ToString("N")));
        cluster.ConductorArguments.Add("--Logging:LogLevel:Default");
        cluster.ConductorArguments.Add("Warning");
        cluster.ConductorArguments.Add("--Logging:LogLevel:Conductor.Audit");
        cluster.ConductorArguments.Add("Warning");
        if (heapLimitMb > 0)
        {
            cluster.ProcessEnvironment["DOTNET_GCHeapHardLimit"] = (heapLimitMb * 1024L * 1024L).ToString("X", CultureInfo.InvariantCulture);
        }

        var seeding = Stopwatch.StartNew();
        await ListingSeed.SeedInChildAsync(cluster.DataDirectory, count).ConfigureAwait(false);
        seeding.Stop();
        Console.WriteLine($"// seeded {count:N0} instances in {seeding.Elapsed.TotalSeconds:0.0} s");

        ChildProcess conductor = await cluster.StartConductorAsync().ConfigureAwait(false);
        string credentials = Path.Combine(cluster.DataDirectory, "admin.credential");
        await using ServiceProvider client = CreateAdmin(cluster.Endpoint, credentials);
        await client.GetRequiredService<IConductorConnection>().ConnectAsync(CancellationToken.None).ConfigureAwait(false);
        IInstanceAdminRepository admin = client.GetRequiredService<IInstanceAdminRepository>();

        // Warm both sides up (JIT, LiteDB's first pages) with one page, then start from a collected heap.
        _ = await admin.ListAsync(new PageRequest { Limit = PageSize }, CancellationToken.None).ConfigureAwait(false);
        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        long workingSetBefore = Environment.WorkingSet;
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        long conductorBefore = ProcStatus.ReadStatus(conductor.Id, "VmRSS");
        ProcStatus.ResetPeak(conductor.Id);
        using var conductorProcess = Process.GetProcessById(conductor.Id);
        TimeSpan conductorCpuBefore = conductorProcess.TotalProcessorTime;

        using var sampling = new CancellationTokenSource();
        var peaks = new Peaks();
        Task sampler = SampleAsync(peaks, sampling.Token);
        var listing = Stopwatch.StartNew();
        int listed = 0;
        string? after = null;
        do
        {
            Page<Instance> page = await admin.ListAsync(new PageRequest { After = after, Limit = PageSize }, CancellationToken.None).ConfigureAwait(false);
            listed += page.Items.Count;
            after = page.NextPageToken;
        }
        while (after is not null);
        listing.Stop();
        await sampling.CancelAsync().ConfigureAwait(false);
        await sampler.ConfigureAwait(false);
        conductorProcess.Refresh();
        double conductorCpu = (conductorProcess.TotalProcessorTime - conductorCpuBefore).TotalSeconds;
        long conductorPeak = ProcStatus.ReadStatus(conductor.Id, "VmHWM");
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        long heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        if (listed != count)
        {
            throw new InvalidOperationException($"Listed {listed:N0} instances, but {count:N0} were seeded.");
        }

        Console.WriteLine($"// listed {listed:N0} through the proxy in {listing.Elapsed.TotalSeconds:0.00} s");
        if (gcdumpDirectory is not null)
        {
            await DumpHeapAsync(conductor.Id, Path.Combine(gcdumpDirectory, $"conductor-{count}.gcdump")).ConfigureAwait(false);
        }

        (double cliSeconds, long cliPeak) = await RunCliAsync(cluster.Endpoint, credentials).ConfigureAwait(false);
        Console.WriteLine($"// listed {count:N0} through the CLI in {cliSeconds:0.00} s");

        return string.Create(
            CultureInfo.InvariantCulture,
            $"| {count:N0} | {seeding.Elapsed.TotalSeconds:0.0} s | {listing.Elapsed.TotalSeconds:0.00} s, {listed / listing.Elapsed.TotalSeconds:N0}/s | {Mib(conductorBefore)} / {Mib(conductorPeak)} MiB | {conductorCpu:0.00} s | {Mib(heapBefore)} / {Mib(peaks.Heap)} / {Mib(heapAfter)} MiB | {Mib(workingSetBefore)} / {Mib(peaks.WorkingSet)} MiB | {Mib(allocated)} MiB | {cliSeconds:0.00} s, {Mib(cliPeak)} MiB |");
    }

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture);

    private static async Task SampleAsync(Peaks peaks, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        try
        {
            do
            {
                peaks.Heap = Math.Max(peaks.Heap, GC.GetTotalMemory(forceFullCollection: false));
                peaks.WorkingSet = Math.Max(peaks.WorkingSet, Environment.WorkingSet);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // Listing done.
        }
    }

    private static async Task<(double Seconds, long PeakBytes)> RunCliAsync(string endpoint, string credentials)
    {
        // GNU time reports the CLI's peak resident size (getrusage's ru_maxrss, in KiB) and its elapsed time.
        string report = Path.GetTempFileName();
        try
        {
            var start = new ProcessStartInfo("/bin/sh")
            {
                ArgumentList =
                {
                    "-c",
                    "exec /usr/bin/time -f '%M %e' -o \"$1\" \"$2\" instances list --json --page-size 1000 --endpoint \"$3\" --credentials \"$4\" > /dev/null",
                    "sh", report, Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "Conductor.Host.exe" : "Conductor.Host"), endpoint, credentials,
                },
                UseShellExecute = false,
            };
            using Process cli = Process.Start(start) ?? throw new InvalidOperationException("Could not start the CLI.");
            await cli.WaitForExitAsync().ConfigureAwait(false);
            string[] fields = (await File.ReadAllTextAsync(report).ConfigureAwait(false)).Trim().Split(' ');
            if (cli.ExitCode != 0)
            {
                throw new InvalidOperationException($"The CLI exited with code {cli.ExitCode}: {string.Join(' ', fields)}");
            }

            return (double.Parse(fields[^1], CultureInfo.InvariantCulture), long.Parse(fields[^2], CultureInfo.InvariantCulture) * 1024);
        }
        finally
        {
            File.Delete(report);
        }
    }

    private static async Task DumpHeapAsync(int processId, string file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        await RunToolAsync("collect", "-p", processId.ToString(CultureInfo.InvariantCulture), "-o", file).ConfigureAwait(false);
        await RunToolAsync("report", file).ConfigureAwait(false);
    }

    private static async Task RunToolAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true };
        start.ArgumentList.Add("dotnet-gcdump");
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process tool = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet-gcdump (run 'dotnet tool restore' in the repository first).");
        // The report's head: the types that hold the most.
        string text = await tool.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
        await tool.WaitForExitAsync().ConfigureAwait(false);
        foreach (string line in text.Split('\n').Take(16))
        {
            Console.WriteLine("// gcdump: " + line.TrimEnd());
        }
    }

    private static ServiceProvider CreateAdmin(string endpoint, string credentialsFile)
    {
        var services = new ServiceCollection();
        services.AddConductorClient(o =>
            {
                o.Endpoint = endpoint;
                o.HostName = "admin";
                o.Role = ConductorRole.Admin;
                o.CredentialsFile = credentialsFile;
                o.ClientName = "listing-benchmark";
                o.CallTimeout = TimeSpan.FromSeconds(120);
            })
            .AddApi<IInstanceAdminRepository>();
        return services.BuildServiceProvider();
    }

    private sealed class Peaks
    {
        public long Heap { get; set; }

        public long WorkingSet { get; set; }
    }
}
