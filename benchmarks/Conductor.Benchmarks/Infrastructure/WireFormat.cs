namespace Conductor.Benchmarks.Infrastructure;

/// <summary>A message format StreamJsonRpc can put on the wire.</summary>
public enum WireFormat
{
    /// <summary>The conductor's wire: System.Text.Json with the conductor's options, <c>Content-Length</c> header framing.</summary>
    Json,

    /// <summary>StreamJsonRpc's <c>MessagePackFormatter</c> (MessagePack-CSharp, contractless resolver), 4-byte big-endian length framing.</summary>
    MessagePack,
}
