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

    /// <summary>The request ledger: applied writes by request id, so that retries are answered, not applied again.</summary>
    public const string RequestLedger = "request_ledger";
}
