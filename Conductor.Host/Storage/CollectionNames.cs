namespace Conductor.Host.Storage;

/// <summary>The names of the conductor's LiteDB collections. Renaming one loses its data: treat them as a file format.</summary>
internal static class CollectionNames
{
    /// <summary>Compute hosts' service records, keyed by host.</summary>
    public const string Services = "services";

    /// <summary>Compute nodes' capacity records, keyed by host.</summary>
    public const string ComputeNodes = "compute_nodes";

    /// <summary>Instances, keyed by id.</summary>
    public const string Instances = "instances";

    /// <summary>Instance actions, keyed by the request id that started them.</summary>
    public const string InstanceActions = "instance_actions";

    /// <summary>Credential verifiers (never secrets), keyed by identity.</summary>
    public const string Credentials = "credentials";

    /// <summary>The request ledger: applied writes by request id, so that retries are answered, not applied again.</summary>
    public const string RequestLedger = "request_ledger";

    /// <summary>
    /// Gets every collection the conductor reads or writes while serving. Each is created when the database opens for
    /// writing (see <see cref="LiteDbConductorDatabase"/>), never by a first insert while readers are running.
    /// </summary>
    public static IReadOnlyList<string> All { get; } = [Services, ComputeNodes, Instances, InstanceActions, Credentials, RequestLedger];
}
