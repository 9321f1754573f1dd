namespace Conductor.CrashLoop;

/// <summary>How a crash loop runs.</summary>
public sealed class CrashLoopOptions
{
    /// <summary>Gets or sets how many times the conductor is killed and restarted. Defaults to 20.</summary>
    public int Rounds { get; set; } = 20;

    /// <summary>Gets or sets how many compute clients write concurrently (besides one admin client creating instances). Defaults to 4.</summary>
    public int ComputeWriters { get; set; } = 4;

    /// <summary>Gets or sets how many writes each round acknowledges, at least, before the kill. Defaults to 20.</summary>
    public int MinimumWritesPerRound { get; set; } = 20;

    /// <summary>Gets or sets the longest extra random pause before the kill, after the minimum writes. Defaults to 1 second.</summary>
    public TimeSpan MaxExtraDelayBeforeKill { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the path of <c>Conductor.Host.dll</c>, or <see langword="null"/> (the default) for the one this build made.</summary>
    public string? ConductorPath { get; set; }

    /// <summary>Gets or sets the working directory (data directory and logs). Defaults to a new temporary directory.</summary>
    public string? WorkDirectory { get; set; }

    /// <summary>Gets or sets whether the working directory is deleted after a successful run. Defaults to <see langword="true"/>.</summary>
    public bool DeleteWorkDirectory { get; set; } = true;

    /// <summary>Gets or sets the seed of the random kill delays (reported, so a run can be repeated). Defaults to a random one.</summary>
    public int Seed { get; set; } = Random.Shared.Next();

    /// <summary>Gets or sets where progress lines go. Defaults to nowhere.</summary>
    public TextWriter Log { get; set; } = TextWriter.Null;
}
