namespace Conductor.Host.Rpc;

/// <summary>A peer sent a frame larger than the connection accepts; the connection is closed.</summary>
internal sealed class MessageTooLargeException : IOException
{
    public MessageTooLargeException(int limit)
        : base($"A message was larger than the {limit} bytes this connection accepts, so the connection was closed. Send smaller messages (page large results), or raise Conductor:MaxMessageBytes on the conductor.")
    {
        Limit = limit;
    }

    public int Limit { get; }
}
