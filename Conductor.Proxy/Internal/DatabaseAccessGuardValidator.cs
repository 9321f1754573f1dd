using Microsoft.Extensions.Options;

namespace Conductor.Proxy.Internal;

/// <summary>Fails host start-up while a registration would reach the database in a process that disabled it.</summary>
internal sealed class DatabaseAccessGuardValidator(DatabaseAccessGuard guard) : IValidateOptions<DatabaseAccessGuardOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseAccessGuardOptions options)
    {
        IReadOnlyList<string> offenders = guard.FindDirectRegistrations();
        if (offenders.Count == 0)
        {
            return ValidateOptionsResult.Success;
        }

        return ValidateOptionsResult.Fail(
            $"{DatabaseAccessGuard.ProcessName} disabled direct database access, but {offenders.Count} service registration(s) would reach the database: " +
            string.Join("; ", offenders) + ". " +
            "Remove them and let services.AddConductorClient() register conductor proxies for those interfaces (in tests, register fakes instead).");
    }
}
