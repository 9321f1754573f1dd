using Conductor.Abstractions;
using Conductor.Abstractions.Compute;
using Conductor.Host.Storage;
using Conductor.Host.Storage.Documents;
using LiteDB;

namespace Conductor.Host.Repositories;

/// <summary>
/// Reads keyset pages of instances as one index range each: at most <see cref="PageRequest.Limit"/> + 1 documents
/// are read, however many come before the page or are deleted.
/// </summary>
internal static class InstancePages
{
    private const string MinId = "00000000000000000000000000000000";

    /// <summary>Reads one page of the instances whose key starts with <paramref name="prefix"/>.</summary>
    /// <param name="instances">The collection.</param>
    /// <param name="page">The request.</param>
    /// <param name="prefix">The key prefix: a host's (<see cref="SortableKeys.HostPrefix"/>), or empty for all hosts.</param>
    /// <returns>The page.</returns>
    /// <exception cref="InvalidRequestException">The limit is out of range or the token is malformed.</exception>
    public static Page<Instance> Read(ILiteCollection<InstanceDocument> instances, PageRequest page, string prefix)
    {
        string? from = StartKey(page);
        if (from is null)
        {
            return new Page<Instance> { Items = [] };
        }

        bool byHost = prefix.Length > 0;
        string field = (byHost, page.IncludeDeleted) switch
        {
            (true, true) => nameof(InstanceDocument.HostKey),
            (true, false) => nameof(InstanceDocument.LiveHostKey),
            (false, true) => nameof(InstanceDocument.IdKey),
            (false, false) => nameof(InstanceDocument.LiveIdKey),
        };

        List<InstanceDocument> docs = Query(instances, field, prefix + from, prefix + SortableKeys.MaxId, page.Limit + 1).ToList();
        bool more = docs.Count > page.Limit;
        if (more)
        {
            docs.RemoveAt(docs.Count - 1);
        }

        return new Page<Instance>
        {
            Items = docs.ConvertAll(d => d.ToInstance()),
            NextPageToken = more ? docs[^1].Id.ToString("D") : null,
        };
    }

    /// <summary>Builds the query a page runs (exposed so tests can check its plan uses the index).</summary>
    /// <param name="instances">The collection.</param>
    /// <param name="field">The indexed key field.</param>
    /// <param name="from">The inclusive lower bound.</param>
    /// <param name="to">The inclusive upper bound.</param>
    /// <param name="take">The most documents to read.</param>
    /// <returns>The query.</returns>
    internal static ILiteQueryableResult<InstanceDocument> Query(ILiteCollection<InstanceDocument> instances, string field, string from, string to, int take) =>
        instances.Query()
            .Where(LiteDB.Query.Between(field, from, to))
            .OrderBy(BsonExpression.Create("$." + field))
            .Limit(take);

    private static string? StartKey(PageRequest page)
    {
        if (page is null)
        {
            throw RepositoryErrors.Missing("page request");
        }

        if (page.Limit is < 1 or > PageRequest.MaxLimit)
        {
            throw new InvalidRequestException($"The page limit {page.Limit} is out of range. Ask for 1 to {PageRequest.MaxLimit} items.");
        }

        if (page.After is null)
        {
            return MinId;
        }

        if (!Guid.TryParseExact(page.After, "D", out Guid after))
        {
            throw new InvalidRequestException("The page token is not one the conductor issued. Pass the NextPageToken of the previous page unchanged, or none for the first page.");
        }

        return SortableKeys.Next(SortableKeys.Id(after));
    }
}
