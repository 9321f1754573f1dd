namespace Conductor.Benchmarks.Infrastructure;

/// <summary>How a benchmark reaches the conductor's instance repository.</summary>
public enum Transport
{
    /// <summary>The direct LiteDB repository, called in process (what the conductor itself runs per call).</summary>
    Direct,

    /// <summary>The Castle proxy over an in-memory duplex pipe to the conductor's RPC server in this process.</summary>
    Pipe,

    /// <summary>The Castle proxy over real loopback TCP to the conductor's listener in this process.</summary>
    Tcp,
}
