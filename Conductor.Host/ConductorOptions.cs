using System.ComponentModel.DataAnnotations;

namespace Conductor.Host;

/// <summary>The conductor's settings, bound from the <c>Conductor</c> section of configuration.</summary>
public sealed class ConductorOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "Conductor";

    /// <summary>Gets or sets the directory that holds the database file and the owner lock. Created if missing. Defaults to <c>./data</c>.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>Gets or sets the TCP endpoint to listen on, as <c>address:port</c>, or empty to not listen on TCP. Defaults to <c>127.0.0.1:7400</c>.</summary>
    public string? TcpEndpoint { get; set; } = "127.0.0.1:7400";

    /// <summary>Gets or sets the Unix domain socket path to listen on, or empty to not listen on one. Relative paths are under <see cref="DataDirectory"/>.</summary>
    public string? UnixSocketPath { get; set; }

    /// <summary>Gets or sets how old a heartbeat may be before its service counts as down. Defaults to 60 seconds.</summary>
    public TimeSpan ServiceDownAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets how long a stopping conductor waits for in-flight calls to finish. Defaults to 10 seconds.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets how long a new connection has to complete its handshake. Defaults to 10 seconds.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gets or sets how often the conductor pings each handshaken client (<c>conductor.Ping</c>) to find connections whose
    /// peer vanished without closing them. Zero disables pinging. Defaults to 15 seconds.
    /// </summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Gets or sets how long a ping may go unanswered before the conductor closes the connection as dead and releases
    /// its resources. Defaults to 10 seconds. A client is pinged only after a whole <see cref="PingInterval"/> without a
    /// word from it (the conductor looks a few times per interval), so a vanished client is released within about
    /// 1.25 x <see cref="PingInterval"/> + <see cref="PingTimeout"/> of its last message.
    /// </summary>
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The default of <see cref="RequestLedgerRetention"/>: one hour.</summary>
    public static readonly TimeSpan DefaultRequestLedgerRetention = TimeSpan.FromHours(1);

    /// <summary>
    /// Gets or sets how long an applied write stays recognisable by its request id, counted in conductor uptime: a
    /// retry with the same id within this time is answered with the original outcome instead of being applied again.
    /// Entries are pruned only after the conductor has been up this long, so a retry across an outage is still
    /// recognised. Defaults to one hour.
    /// </summary>
    public TimeSpan RequestLedgerRetention { get; set; } = DefaultRequestLedgerRetention;

    /// <summary>Gets or sets the largest JSON-RPC message accepted, in bytes. Defaults to 4 MiB.</summary>
    [Range(1024, int.MaxValue)]
    public int MaxMessageBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Gets the versions the conductor serves at most, per API (Nova's <c>[upgrade_levels]</c>): API name to
    /// <c>major.minor</c>, for example <c>Conductor:ApiVersionPins:instances = 1.0</c>. Unpinned APIs are served at the
    /// version this release implements. See docs/upgrades.md.
    /// </summary>
    public Dictionary<string, string> ApiVersionPins { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Gets the oldest client versions the conductor accepts, per API, raised above this release's own minimum, for
    /// example <c>Conductor:ApiMinimumVersions:instances = 1.1</c> once every compute host speaks 1.1.
    /// </summary>
    public Dictionary<string, string> ApiMinimumVersions { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Gets or sets whether the conductor migrates an older database schema when it starts. When off, an older
    /// database is refused at start until <c>conductor db migrate</c> has run. Defaults to <see langword="true"/>.
    /// </summary>
    public bool MigrateDatabaseOnStart { get; set; } = true;

    /// <summary>
    /// Gets or sets whether the conductor keeps 1-3 MiB of zeros written after the end of LiteDB's log, so that each
    /// durable write's fsync overwrites blocks instead of growing the file (measured about a quarter shorter on ext4).
    /// Set it to <see langword="false"/> on a copy-on-write file system (btrfs, ZFS), where an overwrite allocates new
    /// blocks anyway and the zeros would only double the log's writes. Defaults to <see langword="true"/>.
    /// </summary>
    public bool ZeroLogAhead { get; set; } = true;

    /// <summary>
    /// Gets or sets how many instances recently written the storage writer keeps in memory, as committed, so that the
    /// next write to one of them finds it, and a read of one is answered, without a database query (up to twice this
    /// many are held, a few KB each with their published copies). 0 turns it off. Defaults to 2048.
    /// </summary>
    [Range(0, 1_000_000)]
    public int InstanceWriteCacheSize { get; set; } = Storage.InstanceWriteCache.DefaultCapacity;
}
