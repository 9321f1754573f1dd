using System.Text;

namespace Conductor.Host.Storage;

/// <summary>
/// Checks an existing data file before LiteDB opens it. LiteDB would silently replace a file it cannot use (one
/// shorter than a page) with a fresh empty database, or fail deep inside with a message that does not say what to do;
/// the conductor refuses such a file instead, with a message that says what is wrong, and never writes to it.
/// </summary>
internal static class DatabaseFileCheck
{
    /// <summary>Where LiteDB 5 writes its file signature in the header page.</summary>
    internal const int SignatureOffset = 32;

    /// <summary>Where LiteDB 5 writes its file format version in the header page.</summary>
    internal const int FormatVersionOffset = 59;

    /// <summary>The file format version of LiteDB 5.</summary>
    internal const byte FormatVersion = 8;

    private static readonly byte[] s_signature = Encoding.ASCII.GetBytes("** This is a LiteDB file **");

    /// <summary>Refuses a data file that exists but cannot be a readable LiteDB 5 database.</summary>
    /// <param name="dataFile">The data file's path.</param>
    /// <exception cref="DatabaseFileDamagedException">The file is unreadable, too short, truncated or not a LiteDB 5 file.</exception>
    public static void RefuseDamaged(string dataFile)
    {
        if (Directory.Exists(dataFile))
        {
            throw Damaged(dataFile, "is a directory, not a file");
        }

        if (!File.Exists(dataFile))
        {
            return;
        }

        long length;
        byte[] header = new byte[LiteDbConductorDatabase.PageSize];
        int read;
        try
        {
            using FileStream stream = new(dataFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            length = stream.Length;
            read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Damaged(dataFile, $"cannot be read ({ex.Message.TrimEnd('.')})", ex);
        }

        if (length < LiteDbConductorDatabase.PageSize || read < LiteDbConductorDatabase.PageSize)
        {
            throw Damaged(dataFile, $"is {length} bytes long, shorter than one LiteDB page ({LiteDbConductorDatabase.PageSize} bytes), so it is damaged or not a conductor database");
        }

        if (length % LiteDbConductorDatabase.PageSize != 0)
        {
            throw Damaged(dataFile, $"is {length} bytes long, not a whole number of {LiteDbConductorDatabase.PageSize}-byte pages, so it was truncated or damaged");
        }

        if (!header.AsSpan(SignatureOffset, s_signature.Length).SequenceEqual(s_signature))
        {
            throw Damaged(dataFile, "does not start with a LiteDB header, so it is damaged or not a conductor database");
        }

        if (header[FormatVersionOffset] != FormatVersion)
        {
            throw Damaged(dataFile, $"has LiteDB file format version {header[FormatVersionOffset]}, not {FormatVersion} (LiteDB 5), so this conductor cannot read it");
        }
    }

    private static DatabaseFileDamagedException Damaged(string dataFile, string problem, Exception? inner = null) =>
        new($"The database file '{dataFile}' {problem}. The conductor left it untouched and did not start: restore it from a backup, or move it away to start with an empty database.", inner);
}
