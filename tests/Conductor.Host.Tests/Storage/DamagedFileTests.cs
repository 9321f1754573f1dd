using Conductor.Host.Storage;

namespace Conductor.Host.Tests.Storage;

[TestClass]
public sealed class DamagedFileTests
{
    [TestMethod]
    public async Task Constructor_DataFileTruncatedMidPage_RefusesAndLeavesFileUntouched()
    {
        string directory = NewDirectory();
        using (var fixture = new StorageFixture(dataDirectory: directory))
        {
            await fixture.AddHostAsync("host-a");
            fixture.KeepDirectory = true;
        }

        var paths = StoragePaths.For(directory);
        using (var file = new FileStream(paths.DataFile, FileMode.Open))
        {
            file.SetLength(file.Length - 100);
        }

        AssertRefused(paths, "not a whole number of 8192-byte pages");
    }

    [TestMethod]
    public void Constructor_DataFileWithoutLiteDbHeader_RefusesAndLeavesFileUntouched()
    {
        var paths = StoragePaths.For(NewDirectory());
        Directory.CreateDirectory(paths.DataDirectory);
        File.WriteAllBytes(paths.DataFile, new byte[2 * LiteDbConductorDatabase.PageSize]);

        AssertRefused(paths, "does not start with a LiteDB header");
    }

    [TestMethod]
    public void Constructor_DataFileIsADirectory_RefusesWithClearMessage()
    {
        var paths = StoragePaths.For(NewDirectory());
        Directory.CreateDirectory(paths.DataFile);
        try
        {
            var ex = Assert.ThrowsExactly<DatabaseFileDamagedException>(() => new LiteDbConductorDatabase(paths));

            StringAssert.Contains(ex.Message, "is a directory, not a file");
            StringAssert.Contains(ex.Message, "restore it from a backup, or move it away");
        }
        finally
        {
            Directory.Delete(paths.DataDirectory, recursive: true);
        }
    }

    private static string NewDirectory() => Path.Combine(Path.GetTempPath(), "conductor-tests", Guid.NewGuid().ToString("N"));

    private static void AssertRefused(StoragePaths paths, string reason)
    {
        byte[] before = File.ReadAllBytes(paths.DataFile);
        try
        {
            var ex = Assert.ThrowsExactly<DatabaseFileDamagedException>(() => new LiteDbConductorDatabase(paths));

            StringAssert.Contains(ex.Message, $"'{paths.DataFile}'");
            StringAssert.Contains(ex.Message, reason);
            StringAssert.Contains(ex.Message, "left it untouched");
            CollectionAssert.AreEqual(before, File.ReadAllBytes(paths.DataFile), "The refused file was not written to.");
            Assert.IsFalse(File.Exists(paths.LogFile), "No log file was created next to the refused file.");
        }
        finally
        {
            Directory.Delete(paths.DataDirectory, recursive: true);
        }
    }
}
