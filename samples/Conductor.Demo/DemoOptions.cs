namespace Conductor.Demo;

/// <summary>What the demo runs.</summary>
/// <param name="Hosts">How many compute hosts to start.</param>
/// <param name="Instances">How many instances to create.</param>
/// <param name="KeepData">Whether to leave the temporary data directory in place at the end.</param>
/// <param name="StepTimeout">How long one step may take before the demo gives up.</param>
internal sealed record DemoOptions(int Hosts, int Instances, bool KeepData, TimeSpan StepTimeout);
