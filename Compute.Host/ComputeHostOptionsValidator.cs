using Microsoft.Extensions.Options;

namespace Compute.Host;

/// <summary>Checks <see cref="ComputeHostOptions"/> at start-up and names every bad setting in one message.</summary>
internal sealed class ComputeHostOptionsValidator : IValidateOptions<ComputeHostOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, ComputeHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Positive(failures, nameof(options.HeartbeatInterval), options.HeartbeatInterval);
        Positive(failures, nameof(options.PollInterval), options.PollInterval);
        Positive(failures, nameof(options.ReapInterval), options.ReapInterval);
        Positive(failures, nameof(options.RetryInitialDelay), options.RetryInitialDelay);
        Positive(failures, nameof(options.RetryMaxDelay), options.RetryMaxDelay);
        NotNegative(failures, nameof(options.SpawnTime), options.SpawnTime);
        NotNegative(failures, nameof(options.DestroyTime), options.DestroyTime);
        Positive(failures, nameof(options.VcpusTotal), options.VcpusTotal);
        Positive(failures, nameof(options.MemoryMbTotal), options.MemoryMbTotal);
        Positive(failures, nameof(options.DiskGbTotal), options.DiskGbTotal);
        Positive(failures, nameof(options.MaxConcurrentOperations), options.MaxConcurrentOperations);
        Positive(failures, nameof(options.ConductorRetryAttempts), options.ConductorRetryAttempts);
        NotBlank(failures, nameof(options.HypervisorType), options.HypervisorType);
        NotBlank(failures, nameof(options.Binary), options.Binary);
        NotBlank(failures, nameof(options.Version), options.Version);
        if (options.PageSize < 1 || options.PageSize > ComputeHostOptions.MaxPageSize)
        {
            failures.Add($"{Key(nameof(options.PageSize))} must be between 1 and {ComputeHostOptions.MaxPageSize}, but it is {options.PageSize}.");
        }

        if (options.RetryMaxDelay < options.RetryInitialDelay)
        {
            failures.Add($"{Key(nameof(options.RetryMaxDelay))} ({options.RetryMaxDelay}) must not be shorter than {Key(nameof(options.RetryInitialDelay))} ({options.RetryInitialDelay}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Key(string property) => $"{ComputeHostOptions.SectionName}:{property}";

    private static void Positive(List<string> failures, string property, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{Key(property)} must be a positive time span (for example 00:00:10), but it is {value}.");
        }
    }

    private static void NotNegative(List<string> failures, string property, TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            failures.Add($"{Key(property)} must not be negative, but it is {value}.");
        }
    }

    private static void Positive(List<string> failures, string property, int value)
    {
        if (value <= 0)
        {
            failures.Add($"{Key(property)} must be a positive number, but it is {value}.");
        }
    }

    private static void NotBlank(List<string> failures, string property, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"{Key(property)} must not be empty.");
        }
    }
}
