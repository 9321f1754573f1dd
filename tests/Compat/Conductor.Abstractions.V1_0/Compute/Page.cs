namespace Conductor.Abstractions.Compute;

/// <summary>One keyset page of a list.</summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed record Page<T>
{
    /// <summary>Gets the items of this page, in identifier order.</summary>
    public required IReadOnlyList<T> Items { get; init; }

    /// <summary>Gets the token to pass as <see cref="PageRequest.After"/> for the next page, or <see langword="null"/> on the last page.</summary>
    public string? NextPageToken { get; init; }
}
