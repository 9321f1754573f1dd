namespace Conductor.Host.Versioning;

/// <summary>The result of an upgrade check.</summary>
/// <param name="Hosts">Every host's verdict.</param>
/// <param name="FleetMinimum">The oldest version each API has in the fleet (hosts with known versions).</param>
/// <param name="NextReleaseMinimum">The oldest version of each API the next conductor release accepts.</param>
/// <param name="Outcome">The worst verdict.</param>
internal sealed record UpgradeCheckResult(
    IReadOnlyList<HostVerdict> Hosts,
    IReadOnlyDictionary<string, string> FleetMinimum,
    IReadOnlyDictionary<string, string> NextReleaseMinimum,
    UpgradeOutcome Outcome);
