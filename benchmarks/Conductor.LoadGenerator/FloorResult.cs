namespace Conductor.LoadGenerator;

/// <summary>What the fleet cost a bare StreamJsonRpc server (<see cref="FloorServer"/>), from memory or durable.</summary>
/// <param name="Cpu">The server's CPU time over the measured time, in cores.</param>
/// <param name="Calls">The calls it answered while measured.</param>
/// <param name="Elapsed">How long it was measured.</param>
internal sealed record FloorResult(double Cpu, long Calls, TimeSpan Elapsed)
{
    /// <summary>Gets the calls that failed while measured (there should be none).</summary>
    public long Errors { get; init; }

    /// <summary>Gets how many fsyncs the durable floor ran over its whole life (0 for the floor that answers from memory).</summary>
    public long Syncs { get; init; }

    /// <summary>Gets the server's CPU time per call answered, in microseconds.</summary>
    public double CpuPerCallMicroseconds => Calls == 0 ? double.NaN : Cpu * Elapsed.TotalSeconds / Calls * 1e6;
}
