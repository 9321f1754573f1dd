using System.Globalization;

namespace Conductor.Host.Storage;

/// <summary>
/// Builds the string keys instances are listed by. Ids are 32 lower-case hex digits, so with the database's ordinal
/// collation the keys sort like the ids' hex text, and a page can be read as one index range.
/// </summary>
internal static class SortableKeys
{
    /// <summary>The largest id key: the upper bound of every range.</summary>
    public const string MaxId = "ffffffffffffffffffffffffffffffff";

    /// <summary>Returns the sortable key of an id.</summary>
    /// <param name="id">The id.</param>
    /// <returns>Its 32 lower-case hex digits.</returns>
    public static string Id(Guid id) => id.ToString("N", CultureInfo.InvariantCulture);

    /// <summary>Returns the host-scoped key of an instance.</summary>
    /// <param name="host">The host.</param>
    /// <param name="id">The instance id.</param>
    /// <returns>The key.</returns>
    public static string Host(string host, Guid id) => HostPrefix(host) + Id(id);

    /// <summary>Returns the prefix every key of one host starts with.</summary>
    /// <param name="host">The host.</param>
    /// <returns>The prefix.</returns>
    /// <remarks>
    /// The host's length comes first, so no host's keys fall inside another's range even when one name extends
    /// the other (<c>a</c> and <c>a/b</c>): two hosts of the same length differ inside the prefix itself.
    /// </remarks>
    public static string HostPrefix(string host) =>
        string.Create(CultureInfo.InvariantCulture, $"{host.Length:D5}:{host}/");

    /// <summary>Returns the smallest id key greater than <paramref name="idKey"/>, or <see langword="null"/> if there is none.</summary>
    /// <param name="idKey">An id key.</param>
    /// <returns>The next key.</returns>
    public static string? Next(string idKey)
    {
        char[] digits = idKey.ToCharArray();
        for (int i = digits.Length - 1; i >= 0; i--)
        {
            if (digits[i] != 'f')
            {
                digits[i] = digits[i] == '9' ? 'a' : (char)(digits[i] + 1);
                return new string(digits);
            }

            digits[i] = '0';
        }

        return null;
    }
}
