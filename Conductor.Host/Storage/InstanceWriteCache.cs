using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Conductor.Abstractions.Compute;
using Conductor.Host.Storage.Documents;

namespace Conductor.Host.Storage;

/// <summary>
/// The instances that recent writes read or wrote, as the database has them committed, so that a write to an
/// instance finds it without a LiteDB query, and a read of one is answered without a query too.
/// </summary>
/// <remarks>
/// <para>
/// Why: a compare-and-swap update reads the instance, checks it and writes it, all on the committing thread, which
/// commits every write of the conductor one after another. LiteDB's <c>FindById</c> runs a whole query (a plan, a
/// read transaction's snapshot, the document read and mapped): about 18 us and 35 KB allocated on these machines, on
/// the one thread every write waits for. Measured alternating (<c>benchmarks/README.md</c>): 16 concurrent durable
/// writers 20-25% faster with this cache, a lone durable update about 10% faster.
/// </para>
/// <para>
/// Why it stays right: every write to the instances collection goes through the group-commit pipeline, whose commit
/// stage runs one batch at a time, and every write site reads through <see cref="Find"/> and reports what it wrote
/// through <see cref="Written"/>; nothing else in the process writes instances (schema migrations run before the
/// pipeline starts, and the command line's offline tools run while no conductor has the data directory). Like the
/// scheduler's <c>HostUsage</c>, what a transaction reads or writes stays pending until it commits
/// (<see cref="Commit"/>) and is dropped when it rolls back (<see cref="Discard"/>), so a refused write, or a batch
/// undone to be applied write by write, leaves the cache as the database has it. Documents are copied in and out:
/// the write that gets one may change it and then be refused. Only the committing thread changes this class, so it
/// does not lock.
/// </para>
/// <para>
/// Reads on any thread (<c>instances.Get</c>, <c>GetMany</c>, the admin's <c>Get</c>) find what the writer committed
/// through <see cref="TryGetCommitted"/>: an immutable <see cref="Instance"/> per document held, published by the
/// committing thread right after LiteDB's commit (<see cref="Commit"/>) and withdrawn when its document leaves the
/// cache, in a concurrent dictionary that readers only read. So a read finds either the instance as last committed or
/// nothing (and then reads LiteDB), never a write that was rolled back; a write is published before it is
/// acknowledged (the acknowledgement waits for the sync that follows the commit), so a caller always reads its own
/// acknowledged writes. Lists are read from LiteDB, and so are instances the cache does not hold: at open it is filled
/// with up to <see cref="Capacity"/> live instances (<see cref="Load"/>), then it follows the writes.
/// LiteDB's <c>FindById</c> costs about 24 us of CPU per read with 16 callers on these machines; answering from
/// memory made 16 concurrent reads over TCP about twice as fast (<c>benchmarks/README.md</c>).
/// </para>
/// <para>
/// Memory is bounded: two generations of at most <see cref="Capacity"/> documents each; when the newer one is full,
/// the older is dropped and the newer becomes the older, so an instance written again within roughly the last
/// <see cref="Capacity"/> instances written is found, and no more than twice that many are held (about 1-2 KB each,
/// and as much again for the published instances).
/// </para>
/// </remarks>
internal sealed class InstanceWriteCache
{
    /// <summary>The default number of documents per generation.</summary>
    internal const int DefaultCapacity = 2048;

    private readonly Dictionary<Guid, InstanceDocument> _pending = [];
    private readonly ConcurrentDictionary<Guid, Instance> _published = new();
    private Dictionary<Guid, InstanceDocument> _newer = [];
    private Dictionary<Guid, InstanceDocument> _older = [];

    /// <summary>Initializes a new instance of the <see cref="InstanceWriteCache"/> class.</summary>
    /// <param name="capacity">The most documents per generation; 0 turns the cache off.</param>
    public InstanceWriteCache(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Capacity = capacity;
    }

    /// <summary>Gets the most documents each of the two generations holds.</summary>
    public int Capacity { get; }

    /// <summary>Gets how many lookups were answered from memory (for tests and diagnostics).</summary>
    public long Hits { get; private set; }

    /// <summary>Gets how many lookups read the database (for tests and diagnostics).</summary>
    public long Misses { get; private set; }

    /// <summary>Gets how many committed documents are held (for tests and diagnostics).</summary>
    public int Count => _newer.Count + _older.Count;

    /// <summary>Finds the committed instance, if a recent write touched it. Safe on any thread.</summary>
    /// <param name="id">The instance id.</param>
    /// <param name="instance">The instance as last committed, when this returns <see langword="true"/>; shared, and immutable.</param>
    /// <returns>Whether the instance is held; if not, read it from the database.</returns>
    public bool TryGetCommitted(Guid id, [NotNullWhen(true)] out Instance? instance) => _published.TryGetValue(id, out instance);

    /// <summary>
    /// Finds an instance as the current transaction sees it: what it wrote or read of it, or else the committed
    /// document, from memory or from <paramref name="read"/>.
    /// </summary>
    /// <param name="id">The instance id.</param>
    /// <param name="read">Reads the instance from the database, inside the current transaction.</param>
    /// <returns>A copy the caller may change, or <see langword="null"/> when there is no such instance.</returns>
    public InstanceDocument? Find(Guid id, Func<Guid, InstanceDocument?> read)
    {
        Debug.Assert(read is not null, "A reader is required.");
        if (_pending.TryGetValue(id, out InstanceDocument? doc) || _newer.TryGetValue(id, out doc))
        {
            Hits++;
            return doc.Copy();
        }

        if (_older.Remove(id, out doc))
        {
            Hits++;
            Keep(id, doc);
            return doc.Copy();
        }

        Misses++;
        doc = read(id);
        if (doc is not null && Capacity > 0)
        {
            // What this transaction read: committed, unless an earlier write of the same transaction changed it, in
            // which case that write's copy is pending already and was returned above.
            _pending[id] = doc.Copy();
        }

        return doc;
    }

    /// <summary>
    /// Fills the cache at open, before any write, with committed instances (up to <see cref="Capacity"/>), so that
    /// reads after a restart are answered from memory before writes have touched the instances again.
    /// </summary>
    /// <param name="committed">Committed documents, read before the first write.</param>
    /// <returns>How many were loaded.</returns>
    public int Load(IEnumerable<InstanceDocument> committed)
    {
        ArgumentNullException.ThrowIfNull(committed);
        Debug.Assert(_pending.Count == 0 && Count == 0, "The cache is loaded once, before the first write.");
        int loaded = 0;
        foreach (InstanceDocument doc in committed)
        {
            if (loaded == Capacity)
            {
                break;
            }

            _pending[doc.Id] = doc;
            loaded++;
        }

        Commit();
        return loaded;
    }

    /// <summary>Records what the current transaction wrote to an instance (inserted or updated).</summary>
    /// <param name="doc">The document as written.</param>
    public void Written(InstanceDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        if (Capacity > 0)
        {
            _pending[doc.Id] = doc.Copy();
        }
    }

    /// <summary>Keeps what the current transaction read and wrote: call right after it commits.</summary>
    public void Commit()
    {
        foreach ((Guid id, InstanceDocument doc) in _pending)
        {
            _older.Remove(id);
            Keep(id, doc);
            _published[id] = doc.ToInstance();
        }

        _pending.Clear();
    }

    /// <summary>Drops what the current transaction read and wrote: call when it rolls back or fails.</summary>
    public void Discard() => _pending.Clear();

    /// <summary>Forgets everything (after a storage fault, when the database is reopened).</summary>
    public void Clear()
    {
        _pending.Clear();
        _newer.Clear();
        _older.Clear();
        _published.Clear();
    }

    private void Keep(Guid id, InstanceDocument doc)
    {
        if (_newer.Count >= Capacity && !_newer.ContainsKey(id))
        {
            foreach (Guid dropped in _older.Keys)
            {
                _published.TryRemove(dropped, out _);
            }

            (_older, _newer) = (_newer, _older);
            _newer.Clear();
        }

        _newer[id] = doc;
    }
}
