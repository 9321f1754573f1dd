using Conductor.Abstractions;
using Conductor.Proxy.Security;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Conductor.Host.Security;

/// <summary>
/// Runs before the listener: warns about served members without an access rule, and gives a conductor without any
/// admin credential its first one, written to <see cref="FileName"/> in the data directory (mode 0600), so that
/// whoever can read the data directory (and only they) can administer the conductor, as with nova-manage.
/// </summary>
internal sealed partial class AdminBootstrap(
    CredentialStore store,
    AccessPolicy policy,
    IOptions<ConductorOptions> options,
    IOptions<ConductorSecurityOptions> security,
    ILogger<AdminBootstrap> logger) : IHostedService
{
    /// <summary>The admin credential file's name in the data directory.</summary>
    public const string FileName = "admin.credential";

    /// <summary>The identity of the first admin credential.</summary>
    public const string AdminName = "admin";

    public static string PathIn(string dataDirectory) => Path.Combine(Path.GetFullPath(dataDirectory), FileName);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (policy.MembersWithoutRule.Count > 0)
        {
            LogMembersWithoutRule(logger, string.Join(", ", policy.MembersWithoutRule));
        }

        if (store.HasAdmin || !security.Value.CreateAdminCredential)
        {
            return;
        }

        string path = PathIn(options.Value.DataDirectory);
        HostCredential credential = await store.IssueAsync(AdminName, ConductorRole.Admin, replace: false, cancellationToken).ConfigureAwait(false);
        credential.WriteFile(path, overwrite: true);
        LogAdminCreated(logger, path);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(40, LogLevel.Warning, "These served members declare no [ConductorAccess] rule, so nobody may call them: {Members}. Add a rule to each.")]
    private static partial void LogMembersWithoutRule(ILogger logger, string members);

    [LoggerMessage(41, LogLevel.Warning, "The conductor had no admin credential, so it made one and wrote it to {Path} (readable by this user only). The CLI's data verbs use it with --data-dir; keep it secret.")]
    private static partial void LogAdminCreated(ILogger logger, string path);
}
