namespace Conductor.Benchmarks.Ratios;

/// <summary>
/// One of issue 5's speed targets: the product's time per operation over the sum of its floors' (a ratio), or, with
/// no floors, the product's operations per second (a throughput). Benchmarks are named <c>Class.Method(Params)</c>.
/// </summary>
/// <param name="Name">What is compared.</param>
/// <param name="Product">The product's side, in words.</param>
/// <param name="Floor">The floor's side, in words.</param>
/// <param name="Numerator">The benchmarks whose times per operation are added above the line.</param>
/// <param name="Denominator">The benchmarks whose times per operation are added below the line; empty for a throughput.</param>
/// <param name="Target">The target value.</param>
/// <param name="AtMost">Whether the value must be at most the target (otherwise at least).</param>
internal sealed record RatioSpec(string Name, string Product, string Floor, string[] Numerator, string[] Denominator, double Target, bool AtMost)
{
    private const string Calls = nameof(InstanceCallBenchmarks);
    private const string Floors = nameof(FloorBenchmarks);
    private const string Layer = nameof(ProxyLayerBenchmarks);
    private const string Connections = nameof(ConnectionsBenchmarks);
    private const string Uncached = nameof(UncachedReadBenchmarks);

    /// <summary>Gets issue 5's targets.</summary>
    public static IReadOnlyList<RatioSpec> All { get; } =
    [
        new("proxy layer over TCP", "Castle proxy Get", "JsonRpc.Attach Get", [$"{Layer}.Castle_Get(Tcp)"], [$"{Layer}.Attach_Get(Tcp)"], 1.05, AtMost: true),
        new("proxy layer over a pipe", "Castle proxy Get", "JsonRpc.Attach Get", [$"{Layer}.Castle_Get(Pipe)"], [$"{Layer}.Attach_Get(Pipe)"], 1.05, AtMost: true),
        new("end-to-end read", "Get over TCP", "TCP round trip + LiteDB FindById", [$"{Calls}.Get(Tcp)"], [$"{Floors}.Tcp_round_trip", $"{Floors}.LiteDb_FindById"], 2.0, AtMost: true),
        new("concurrent reads (throughput ratio)", "Get over TCP, 16 callers", "LiteDB FindById, 16 callers", [$"{Floors}.LiteDb_FindById_16_callers"], [$"{Calls}.Get_16_callers(Tcp)"], 0.4, AtMost: false),
        new("durable write, sequential", "Update over TCP", "TCP round trip + fsync + LiteDB Update", [$"{Calls}.Update(Tcp)"], [$"{Floors}.Tcp_round_trip", $"{Floors}.Fsync_page", $"{Floors}.LiteDb_Update"], 1.3, AtMost: true),
        new("durable write, sequential, composed floor", "Update over TCP", "one round trip whose server does LiteDB Update + fsync", [$"{Calls}.Update(Tcp)"], [$"{Floors}.Tcp_round_trip_with_update_and_fsync"], 1.3, AtMost: true),
        new("durable writes, 16 callers", "Update over TCP, 16 callers", "-", [$"{Calls}.Update_16_callers(Tcp)"], [], 10_000, AtMost: false),
        new("concurrent reads, 64 callers", "Get over TCP, 64 callers", "LiteDB FindById, 64 callers", [$"{Floors}.LiteDb_FindById_64_callers"], [$"{Calls}.Get_64_callers(Tcp)"], 0.4, AtMost: false),
        new("durable writes, 64 callers", "Update over TCP, 64 callers", "-", [$"{Calls}.Update_64_callers(Tcp)"], [], 10_000, AtMost: false),
        new("concurrent reads, 16 connections", "Get over 16 TCP connections, one caller each", "LiteDB FindById, 16 callers", [$"{Floors}.LiteDb_FindById_16_callers"], [$"{Connections}.Get_16_connections"], 0.4, AtMost: false),
        new("durable writes, 16 connections", "Update over 16 TCP connections, one caller each", "-", [$"{Connections}.Update_16_connections"], [], 10_000, AtMost: false),
        new("end-to-end read, from LiteDB", "Get over TCP, writer's cache off", "TCP round trip + LiteDB FindById", [$"{Uncached}.Get_from_LiteDb"], [$"{Floors}.Tcp_round_trip", $"{Floors}.LiteDb_FindById"], 2.0, AtMost: true),
        new("concurrent reads, from LiteDB", "Get over TCP, 16 callers, writer's cache off", "LiteDB FindById, 16 callers", [$"{Floors}.LiteDb_FindById_16_callers"], [$"{Uncached}.Get_16_callers_from_LiteDb"], 0.4, AtMost: false),
    ];

    /// <summary>Gets whether this is a throughput (operations per second) rather than a ratio.</summary>
    public bool IsThroughput => Denominator.Length == 0;

    /// <summary>Gets every benchmark this target needs.</summary>
    public IEnumerable<string> Keys => Numerator.Concat(Denominator);

    /// <summary>Computes the value from times per operation (nanoseconds).</summary>
    /// <param name="nanoseconds">The time per operation of each needed benchmark.</param>
    /// <returns>The ratio, or the operations per second.</returns>
    public double Value(Func<string, double> nanoseconds) =>
        IsThroughput ? 1e9 / Numerator.Sum(nanoseconds) : Numerator.Sum(nanoseconds) / Denominator.Sum(nanoseconds);

    /// <summary>Tells whether a value meets the target.</summary>
    /// <param name="value">The value.</param>
    /// <returns>Whether it does.</returns>
    public bool Meets(double value) => AtMost ? value <= Target : value >= Target;

    /// <summary>Formats a value in this target's unit.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The text.</returns>
    public string Format(double value) => IsThroughput
        ? value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + "/s"
        : value.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + "x";

    /// <summary>Gets the target as text.</summary>
    public string TargetText => (AtMost ? "<= " : ">= ") + Format(Target);

    /// <summary>Says whether the target was met, given the central value and the two ends of its spread.</summary>
    /// <param name="central">The central value.</param>
    /// <param name="low">One end of the spread.</param>
    /// <param name="high">The other end.</param>
    /// <returns>The verdict.</returns>
    public string Verdict(double central, double low, double high) =>
        Meets(low) && Meets(high) ? "met"
        : !Meets(low) && !Meets(high) ? "missed"
        : Meets(central) ? "met (within the noise)" : "missed (within the noise)";
}
