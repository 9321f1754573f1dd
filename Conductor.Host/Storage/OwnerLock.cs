using System.Globalization;
using System.Text;

namespace Conductor.Host.Storage;

/// <summary>
/// The exclusive claim of one conductor process on a data directory. LiteDB's direct mode does not lock out a
/// second process on Linux, so without this two conductors would silently corrupt the same file.
/// </summary>
/// <remarks>
/// .NET takes an <c>flock(LOCK_EX)</c> for <see cref="FileShare.None"/> on Unix (and a sharing lock on Windows),
/// which the kernel releases when the process dies, so a crash never leaves a stale lock. Because the locked file
/// cannot be opened by anyone else, not even to read it, the owner's process id is also written to a separate pid
/// file for the error message.
/// </remarks>
internal sealed class OwnerLock : IDisposable
{
    private readonly FileStream _lockStream;
    private readonly string _pidFile;

    private OwnerLock(FileStream lockStream, string pidFile)
    {
        _lockStream = lockStream;
        _pidFile = pidFile;
    }

    /// <summary>Takes the lock on a data directory, which must exist.</summary>
    /// <param name="paths">The data directory's files.</param>
    /// <returns>The held lock; dispose it to release.</returns>
    /// <exception cref="DataDirectoryInUseException">Another process (or another database object in this one) holds it.</exception>
    public static OwnerLock Acquire(StoragePaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        FileStream stream;
        try
        {
            stream = new FileStream(paths.LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new DataDirectoryInUseException(
                $"The data directory '{paths.DataDirectory}' is already owned by another conductor (process {ReadOwner(paths.PidFile)}, lock file '{paths.LockFile}'). "
                + "Stop that conductor first, or give this one its own data directory with --Conductor:DataDirectory.",
                ex);
        }

        try
        {
            byte[] pid = Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
            stream.SetLength(0);
            stream.Write(pid);
            stream.Flush();
            File.WriteAllBytes(paths.PidFile, pid);
        }
        catch
        {
            stream.Dispose();
            throw;
        }

        return new OwnerLock(stream, paths.PidFile);
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose()
    {
        // Remove the pid file first, while still the owner, so it never names a process that no longer owns the directory.
        try
        {
            File.Delete(_pidFile);
        }
        catch (IOException)
        {
            // Only informational; the lock itself is what matters.
        }

        _lockStream.Dispose();
    }

    private static string ReadOwner(string pidFile)
    {
        try
        {
            return File.ReadAllText(pidFile).Trim();
        }
        catch (IOException)
        {
            return "unknown";
        }
        catch (UnauthorizedAccessException)
        {
            return "unknown";
        }
    }
}
