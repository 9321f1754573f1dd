namespace Conductor.LoadGenerator;

/// <summary>What the load generator does.</summary>
/// <param name="Hosts">How many compute hosts to simulate, each with its own connection.</param>
/// <param name="InstancesPerHost">How many instances each host gets (created by an admin connection, placed by the conductor).</param>
/// <param name="Interval">How often each host heartbeats and updates each of its instances.</param>
/// <param name="Duration">How long the measured load runs.</param>
/// <param name="Settle">How long the fleet sits connected and idle before the idle memory is read.</param>
/// <param name="Endpoint">A running conductor to use (<c>tcp://host:port</c>), or <see langword="null"/> to start one.</param>
/// <param name="ConductorProcessId">The running conductor's process id, for its CPU and memory; only with <paramref name="Endpoint"/>.</param>
/// <param name="AdminCredentialsFile">The running conductor's admin credential file (<c>&lt;data&gt;/admin.credential</c>); only with <paramref name="Endpoint"/>.</param>
/// <param name="Output">Where to write the report as Markdown, or <see langword="null"/>.</param>
/// <param name="WithFloor">Whether to measure the same fleet against a bare StreamJsonRpc server first (<see cref="FloorRun"/>).</param>
internal sealed record LoadOptions(
    int Hosts,
    int InstancesPerHost,
    TimeSpan Interval,
    TimeSpan Duration,
    TimeSpan Settle,
    string? Endpoint,
    int? ConductorProcessId,
    string? AdminCredentialsFile,
    string? Output,
    bool WithFloor = false);
