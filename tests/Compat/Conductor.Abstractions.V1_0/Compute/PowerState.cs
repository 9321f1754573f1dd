namespace Conductor.Abstractions.Compute;

/// <summary>The power state the hypervisor reports for an instance.</summary>
public enum PowerState
{
    /// <summary>Not known yet (the instance has not been built).</summary>
    NoState = 0,

    /// <summary>Running.</summary>
    Running = 1,

    /// <summary>Shut down.</summary>
    Shutdown = 2,

    /// <summary>Crashed.</summary>
    Crashed = 3,
}
