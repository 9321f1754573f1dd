using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Conductor.Abstractions;

/// <summary>A <c>major.minor</c> API version. Minor bumps are compatible; major bumps are not.</summary>
/// <param name="Major">The major version.</param>
/// <param name="Minor">The minor version.</param>
public readonly record struct ApiVersion(int Major, int Minor) : IComparable<ApiVersion>
{
    /// <summary>Parses a version written as <c>major.minor</c>.</summary>
    /// <param name="text">The text to parse.</param>
    /// <returns>The parsed version.</returns>
    /// <exception cref="FormatException">The text is not two non-negative integers separated by a dot.</exception>
    public static ApiVersion Parse(string text) =>
        TryParse(text, out ApiVersion version)
            ? version
            : throw new FormatException($"'{text}' is not an API version. Write it as major.minor, for example \"1.0\".");

    /// <summary>Tries to parse a version written as <c>major.minor</c>.</summary>
    /// <param name="text">The text to parse.</param>
    /// <param name="version">The parsed version, when this returns <see langword="true"/>.</param>
    /// <returns>Whether the text was a valid version.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out ApiVersion version)
    {
        version = default;
        if (text is null)
        {
            return false;
        }

        int dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0
            || !int.TryParse(text.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out int major)
            || !int.TryParse(text.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int minor))
        {
            return false;
        }

        version = new ApiVersion(major, minor);
        return true;
    }

    /// <inheritdoc/>
    public int CompareTo(ApiVersion other) =>
        Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    /// <summary>Compares two versions.</summary>
    /// <param name="left">The left operand.</param>
    /// <param name="right">The right operand.</param>
    /// <returns>Whether <paramref name="left"/> is older.</returns>
    public static bool operator <(ApiVersion left, ApiVersion right) => left.CompareTo(right) < 0;

    /// <summary>Compares two versions.</summary>
    /// <param name="left">The left operand.</param>
    /// <param name="right">The right operand.</param>
    /// <returns>Whether <paramref name="left"/> is newer.</returns>
    public static bool operator >(ApiVersion left, ApiVersion right) => left.CompareTo(right) > 0;

    /// <summary>Compares two versions.</summary>
    /// <param name="left">The left operand.</param>
    /// <param name="right">The right operand.</param>
    /// <returns>Whether <paramref name="left"/> is older or equal.</returns>
    public static bool operator <=(ApiVersion left, ApiVersion right) => left.CompareTo(right) <= 0;

    /// <summary>Compares two versions.</summary>
    /// <param name="left">The left operand.</param>
    /// <param name="right">The right operand.</param>
    /// <returns>Whether <paramref name="left"/> is newer or equal.</returns>
    public static bool operator >=(ApiVersion left, ApiVersion right) => left.CompareTo(right) >= 0;

    /// <summary>Returns the version as <c>major.minor</c>.</summary>
    /// <returns>The version text.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}");
}
