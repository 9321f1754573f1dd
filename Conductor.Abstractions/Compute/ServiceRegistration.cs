namespace Conductor.Abstractions.Compute;

/// <summary>What a compute host says about itself when it registers its service record.</summary>
public sealed record ServiceRegistration : IWriteRequest
{
    /// <summary>Gets the binary that runs the service (for example <c>compute-host</c>).</summary>
    public required string Binary { get; init; }

    /// <summary>Gets the binary's version.</summary>
    public required string Version { get; init; }

    /// <summary>Gets whether the host asks not to be given new instances.</summary>
    public bool Disabled { get; init; }

    /// <inheritdoc/>
    public Guid RequestId { get; init; } = Guid.CreateVersion7();
}
