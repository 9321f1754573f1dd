using Microsoft.Extensions.Options;

namespace Conductor.Proxy.Internal;

/// <summary>Refuses to start a client whose configured credential cannot be read or does not fit its role and host name.</summary>
internal sealed class CredentialOptionsValidator : IValidateOptions<ConductorClientOptions>
{
    public ValidateOptionsResult Validate(string? name, ConductorClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return CredentialSource.Validate(options) is { } failure ? ValidateOptionsResult.Fail(failure) : ValidateOptionsResult.Success;
    }
}
