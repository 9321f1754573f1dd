using Conductor.Abstractions;
using Conductor.Host.Rpc;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.Benchmarks.Infrastructure;

/// <summary>
/// A caller of the direct repositories: a DI scope whose caller identity is set as a handshake would set it, so the
/// repositories are the very objects the conductor runs for a connection.
/// </summary>
public sealed class DirectScope : IAsyncDisposable
{
    private readonly AsyncServiceScope _scope;

    private DirectScope(AsyncServiceScope scope)
    {
        _scope = scope;
    }

    /// <summary>Resolves a repository bound to this caller.</summary>
    /// <typeparam name="T">The contract interface.</typeparam>
    /// <returns>The direct repository.</returns>
    public T Get<T>()
        where T : notnull => _scope.ServiceProvider.GetRequiredService<T>();

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _scope.DisposeAsync();

    internal static DirectScope Create(IServiceProvider services, ConductorRole role, string hostName)
    {
        AsyncServiceScope scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CallerContext>().Set(role, hostName, "benchmarks", "direct", new Dictionary<string, ApiVersion>());
        return new DirectScope(scope);
    }
}
