using System.Security.Cryptography;
using System.Text.Json;
using Conductor.Abstractions;
using Conductor.Abstractions.Wire;

namespace Conductor.Host.Storage;

/// <summary>
/// What identifies a write in the request ledger: its request id (if it has one), its method, its caller and a
/// fingerprint of its content, so that an id reused for a different request is refused instead of replayed.
/// </summary>
/// <param name="RequestId">The request id, or <see langword="null"/> for a write that has none (it is not recorded).</param>
/// <param name="Operation">The wire method name, for example <c>instances.Update</c>.</param>
/// <param name="Caller">The caller's key (<see cref="CallerKey"/>).</param>
/// <param name="Fingerprint">A hash of the request as sent on the wire, or empty for a write that has no request id.</param>
internal readonly record struct WriteKey(Guid? RequestId, string Operation, string Caller, string Fingerprint)
{
    private const string AdminCaller = "admin";

    private static readonly JsonSerializerOptions s_json = CreateJsonOptions();

    /// <summary>Builds the key of a write whose argument is an <see cref="IWriteRequest"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="operation">The wire method name.</param>
    /// <param name="caller">The caller.</param>
    /// <returns>The key.</returns>
    public static WriteKey For(IWriteRequest request, string operation, ICallerContext caller) =>
        new(request.RequestId, operation, CallerKey(caller), FingerprintOf(request));

    /// <summary>Builds the key of an operator's write (admin APIs are not host-scoped).</summary>
    /// <param name="request">The request.</param>
    /// <param name="operation">The wire method name.</param>
    /// <returns>The key.</returns>
    public static WriteKey ForAdmin(IWriteRequest request, string operation) => new(request.RequestId, operation, AdminCaller, FingerprintOf(request));

    /// <summary>Builds the key of a write that carries no request id: it runs in a transaction but is not recorded.</summary>
    /// <param name="operation">The wire method name.</param>
    /// <returns>The key.</returns>
    public static WriteKey Unrecorded(string operation) => new(null, operation, "", "");

    /// <summary>Returns the ledger's name for a caller: its role and host.</summary>
    /// <param name="caller">The caller.</param>
    /// <returns>The key.</returns>
    public static string CallerKey(ICallerContext caller) => caller.Role == ConductorRole.Admin ? AdminCaller : "compute:" + caller.HostName;

    private static string FingerprintOf(IWriteRequest request)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(request, request.GetType(), s_json);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(json, hash);
        return Convert.ToBase64String(hash[..16]);
    }

    private static JsonSerializerOptions CreateJsonOptions()
    {
        JsonSerializerOptions options = ConductorWire.CreateJsonSerializerOptions();
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
