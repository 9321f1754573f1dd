namespace Conductor.Abstractions.Compute;

/// <summary>Asks for one keyset page of a list. Pages are ordered by identifier; pass the previous page's token to continue.</summary>
public sealed record PageRequest
{
    /// <summary>The largest page a caller may ask for.</summary>
    public const int MaxLimit = 1000;

    /// <summary>Gets the token of the previous page's end, or <see langword="null"/> for the first page.</summary>
    public string? After { get; init; }

    /// <summary>Gets the largest number of items to return (1 to <see cref="MaxLimit"/>). Defaults to 100.</summary>
    public int Limit { get; init; } = 100;

    /// <summary>Gets whether soft-deleted records are included.</summary>
    public bool IncludeDeleted { get; init; }
}
