using Nerdbank.Streams;

namespace Conductor.Proxy;

/// <summary>
/// Counts the reads that bring bytes in from a connection's peer, so that <see cref="ConductorKeepAlive"/> pings only a
/// peer that has gone quiet: a compute host that heartbeats more often than the ping interval is never pinged, and
/// neither is a busy conductor.
/// </summary>
public sealed class PeerActivity
{
    private long _reads;

    /// <summary>Gets how many reads have brought bytes in so far.</summary>
    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>Wraps a connection's stream so that every read that brings bytes in is counted.</summary>
    /// <param name="stream">The connection's stream.</param>
    /// <returns>The stream to read and write instead; disposing it disposes <paramref name="stream"/>.</returns>
    public Stream Watch(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var monitored = new MonitoringStream(stream);
        monitored.DidReadAny += (_, read) => Count(read.Length);
        return monitored;
    }

    private void Count(int bytes)
    {
        if (bytes > 0)
        {
            Interlocked.Increment(ref _reads);
        }
    }
}
