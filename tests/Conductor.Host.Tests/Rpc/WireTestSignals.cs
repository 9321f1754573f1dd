namespace Conductor.Host.Tests.Rpc;

/// <summary>Signals from <see cref="WireTestApi"/> to the test that drives it over the wire.</summary>
internal sealed class WireTestSignals
{
    /// <summary>Completes when <see cref="IWireTestApi.WaitAsync"/> has started on the conductor.</summary>
    public TaskCompletionSource WaitStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when <see cref="IWireTestApi.WaitAsync"/> has ended, with whether its token was cancelled.</summary>
    public TaskCompletionSource<bool> WaitEnded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
