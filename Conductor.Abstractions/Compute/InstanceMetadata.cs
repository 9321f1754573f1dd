namespace Conductor.Abstractions.Compute;

/// <summary>The limits of an instance's metadata (<see cref="Instance.Metadata"/>), the same on both sides of the wire.</summary>
public static class InstanceMetadata
{
    /// <summary>The most key/value pairs an instance may carry.</summary>
    public const int MaxItems = 64;

    /// <summary>The longest key, in characters.</summary>
    public const int MaxKeyLength = 255;

    /// <summary>The longest value, in characters.</summary>
    public const int MaxValueLength = 255;

    /// <summary>Checks metadata against the limits.</summary>
    /// <param name="metadata">The metadata, or <see langword="null"/> for none.</param>
    /// <returns><see langword="null"/> when it is valid; otherwise a whole sentence that says what is wrong and how to fix it.</returns>
    public static string? Validate(IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null)
        {
            return null;
        }

        if (metadata.Count > MaxItems)
        {
            return $"The metadata has {metadata.Count} pairs; an instance carries at most {MaxItems}. Keep the pairs that matter.";
        }

        foreach ((string key, string value) in metadata)
        {
            if (string.IsNullOrEmpty(key) || key.Length > MaxKeyLength || key.Any(char.IsControl))
            {
                return $"The metadata key '{key}' is empty, longer than {MaxKeyLength} characters, or has control characters. Use a key of 1 to {MaxKeyLength} printable characters.";
            }

            if (value is null || value.Length > MaxValueLength || value.Any(char.IsControl))
            {
                return $"The metadata value of '{key}' is missing, longer than {MaxValueLength} characters, or has control characters. Use a value of up to {MaxValueLength} printable characters.";
            }
        }

        return null;
    }
}
