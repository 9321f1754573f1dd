namespace Conductor.Host.Storage.Documents;

/// <summary>
/// One key/value pair of an instance's metadata, stored as an array item rather than as a field of an embedded
/// document, so that a key can be any text an operator chooses (field names have rules of their own).
/// </summary>
internal sealed class MetadataEntry
{
    /// <summary>Gets or sets the key.</summary>
    public string Key { get; set; } = "";

    /// <summary>Gets or sets the value.</summary>
    public string Value { get; set; } = "";

    /// <summary>Converts metadata to its stored form, ordered by key.</summary>
    /// <param name="metadata">The metadata, or <see langword="null"/>.</param>
    /// <returns>The entries; empty for none.</returns>
    public static List<MetadataEntry> From(IReadOnlyDictionary<string, string>? metadata) =>
        metadata is null
            ? []
            : metadata.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new MetadataEntry { Key = p.Key, Value = p.Value }).ToList();

    /// <summary>Converts stored entries back to metadata.</summary>
    /// <param name="entries">The entries, or <see langword="null"/> for a document written before metadata existed.</param>
    /// <returns>The metadata; empty for none.</returns>
    public static IReadOnlyDictionary<string, string> ToMetadata(List<MetadataEntry>? entries) =>
        entries is null or { Count: 0 }
            ? s_empty
            : entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);

    private static readonly IReadOnlyDictionary<string, string> s_empty = new Dictionary<string, string>(StringComparer.Ordinal);
}
