namespace Conductor.Host.Storage;

/// <summary>The storage settings that are not paths: the clock, the request ledger's retention and the test seams.</summary>
internal sealed record StorageSettings
{
    /// <summary>Gets the settings used when none are given.</summary>
    public static StorageSettings Default { get; } = new();

    /// <summary>Gets the conductor's clock (ledger timestamps and pruning).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Gets how long (of conductor uptime) an applied write stays recognisable by its request id. Defaults to one hour.</summary>
    public TimeSpan RequestLedgerRetention { get; init; } = ConductorOptions.DefaultRequestLedgerRetention;

    /// <summary>Gets how often group commit prunes the ledger (after a batch). Defaults to 10 seconds.</summary>
    public TimeSpan RequestLedgerPruneInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets what to do with an older schema when the database opens. Defaults to migrating it.</summary>
    public Schema.SchemaPolicy Schema { get; init; } = Storage.Schema.SchemaPolicy.Default;

    /// <summary>Gets whether zeroed space is kept after the log's end (see <see cref="ConductorOptions.ZeroLogAhead"/>). Defaults to <see langword="true"/>.</summary>
    public bool ZeroLogAhead { get; init; } = true;

    /// <summary>Gets how many documents each generation of the writer's instance cache holds (see <see cref="ConductorOptions.InstanceWriteCacheSize"/>); 0 turns it off.</summary>
    public int InstanceWriteCacheSize { get; init; } = InstanceWriteCache.DefaultCapacity;

    /// <summary>
    /// Gets a factory for the streams LiteDB reads and writes, or <see langword="null"/> (the default) to let LiteDB
    /// open its files by name. Tests pass one that injects I/O faults.
    /// </summary>
    public IDatabaseStreams? Streams { get; init; }
}
