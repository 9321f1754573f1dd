using Conductor.Abstractions.Wire;

namespace Conductor.Host.Security;

/// <summary>What a connection's hello settled: the client's claim, the conductor's answer and the credential it was answered from.</summary>
/// <param name="Hello">The client's hello.</param>
/// <param name="Answer">The conductor's answer (nonce, salt, iterations).</param>
/// <param name="Credential">The credential the salt came from, or <see langword="null"/> when a decoy salt was sent.</param>
internal sealed record PendingAuthentication(HelloRequest Hello, HelloResponse Answer, StoredCredential? Credential);
