using System.Text.Json;
using Conductor.Abstractions;
using Conductor.Host.Rpc;
using StreamJsonRpc;

namespace Conductor.Host.Versioning;

/// <summary>What a handshake settled: the versions, the targets to expose and how to serialize for the connection.</summary>
/// <param name="Announced">The versions the client announced for the APIs it may use.</param>
/// <param name="Settled">The settled version of each API the connection may use.</param>
/// <param name="Exposed">The APIs to expose, each with the RPC metadata of the members its settled version has.</param>
/// <param name="Backport">The serializer options that leave out properties newer than the connection, or <see langword="null"/> when it knows them all.</param>
internal sealed record Negotiation(
    IReadOnlyDictionary<string, ApiVersion> Announced,
    IReadOnlyDictionary<string, ApiVersion> Settled,
    IReadOnlyList<(ServedApi Api, RpcTargetMetadata Metadata)> Exposed,
    JsonSerializerOptions? Backport);
