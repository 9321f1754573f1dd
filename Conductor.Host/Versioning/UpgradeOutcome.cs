namespace Conductor.Host.Versioning;

/// <summary>The verdict of an upgrade check, ordered from best to worst (the process exit code of <c>conductor upgrade check</c>).</summary>
internal enum UpgradeOutcome
{
    /// <summary>Every host survives the next conductor release.</summary>
    Ok = 0,

    /// <summary>Some hosts' versions are unknown; nothing known is too old.</summary>
    Warning = 1,

    /// <summary>At least one host is too old for this conductor release or the next one.</summary>
    Failure = 2,
}
