namespace Conductor.Host.Storage;

/// <summary>The files the conductor keeps in its data directory.</summary>
/// <param name="DataDirectory">The full path of the data directory.</param>
internal sealed record StoragePaths(string DataDirectory)
{
    /// <summary>Gets the LiteDB data file.</summary>
    public string DataFile => Path.Combine(DataDirectory, "conductor.db");

    /// <summary>Gets LiteDB's write-ahead log file (named after the data file, as LiteDB names it), which the conductor opens itself (<see cref="PreallocatedLogStream"/>) and deletes when it closes with an empty log.</summary>
    public string LogFile => Path.Combine(DataDirectory, "conductor-log.db");

    /// <summary>Gets the owner lock file, held exclusively by the running conductor.</summary>
    public string LockFile => Path.Combine(DataDirectory, "conductor.lock");

    /// <summary>Gets the file that names the owner's process id, readable while the lock file is held.</summary>
    public string PidFile => Path.Combine(DataDirectory, "conductor.pid");

    /// <summary>Resolves the paths for a configured data directory, relative paths against the current directory.</summary>
    /// <param name="dataDirectory">The configured directory.</param>
    /// <returns>The paths.</returns>
    public static StoragePaths For(string dataDirectory) => new(Path.GetFullPath(dataDirectory));
}
