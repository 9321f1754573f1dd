using Conductor.Abstractions.Compute;

namespace Compute.Host;

/// <summary>
/// How the compute worker behaves and what it offers. Bound from the <c>Compute</c> configuration section and
/// validated when the host starts (<see cref="ComputeHostOptionsValidator"/>).
/// </summary>
public sealed class ComputeHostOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "Compute";

    /// <summary>Gets or sets how often the host stamps a heartbeat and reports its usage. Defaults to 10 seconds.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets how often the host looks for instances to build or delete. Defaults to 2 seconds.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets the virtual CPUs the host offers. Defaults to 16.</summary>
    public int VcpusTotal { get; set; } = 16;

    /// <summary>Gets or sets the memory in MB the host offers. Defaults to 32768.</summary>
    public int MemoryMbTotal { get; set; } = 32768;

    /// <summary>Gets or sets the disk in GB the host offers. Defaults to 500.</summary>
    public int DiskGbTotal { get; set; } = 500;

    /// <summary>Gets or sets the hypervisor type reported to the conductor. Defaults to <c>simulated</c>.</summary>
    public string HypervisorType { get; set; } = "simulated";

    /// <summary>Gets or sets how long the simulated hypervisor takes to build an instance. Defaults to 2 seconds.</summary>
    public TimeSpan SpawnTime { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets how long the simulated hypervisor takes to destroy an instance. Defaults to 0.5 seconds.</summary>
    public TimeSpan DestroyTime { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Gets or sets the binary name the service record carries. Defaults to <c>compute-host</c>.</summary>
    public string Binary { get; set; } = "compute-host";

    /// <summary>Gets or sets the version the service record carries. Defaults to this assembly's version.</summary>
    public string Version { get; set; } = ComputeHostInfo.Version;

    /// <summary>
    /// Gets or sets how often the host looks for instances its hypervisor runs although the conductor has them deleted
    /// or not on this host, and destroys them (Nova's running-deleted reap). Defaults to 1 minute.
    /// </summary>
    public TimeSpan ReapInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets how many instances one page of the instance list asks for. Defaults to 100.</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>Gets or sets how many instances the host builds or deletes at the same time. Defaults to 4.</summary>
    public int MaxConcurrentOperations { get; set; } = 4;

    /// <summary>
    /// Gets or sets how many times a lifecycle call is tried while the conductor is unavailable before the host gives
    /// up until the next poll (which re-reads the instance and carries on from its state). Defaults to 5.
    /// Registration at start-up is retried until it succeeds or the host stops.
    /// </summary>
    public int ConductorRetryAttempts { get; set; } = 5;

    /// <summary>Gets or sets the first pause before retrying a call the conductor did not answer; it doubles after each try. Defaults to 0.5 seconds.</summary>
    public TimeSpan RetryInitialDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Gets or sets the longest pause between retries. Defaults to 10 seconds.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets the largest page size a caller may ask for.</summary>
    internal static int MaxPageSize => PageRequest.MaxLimit;
}
