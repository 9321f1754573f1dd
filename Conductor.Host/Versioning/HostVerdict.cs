namespace Conductor.Host.Versioning;

/// <summary>One compute host in an upgrade check.</summary>
/// <param name="Host">The host name.</param>
/// <param name="IsUp">Whether its heartbeat is recent.</param>
/// <param name="ApiVersions">The versions its service record carries, or <see langword="null"/> when unknown.</param>
/// <param name="Outcome">The verdict.</param>
/// <param name="Problems">Why, as phrases ("instances 1.0 will be refused by the next conductor release ...").</param>
internal sealed record HostVerdict(string Host, bool IsUp, IReadOnlyDictionary<string, string>? ApiVersions, UpgradeOutcome Outcome, IReadOnlyList<string> Problems);
