using Conductor.Host.Storage;

namespace Conductor.Host.Tests.Storage;

[TestClass]
public sealed class OwnershipTests
{
    [TestMethod]
    public void Constructor_DirectoryAlreadyOwned_ThrowsDataDirectoryInUse()
    {
        using var fixture = new StorageFixture();
        var paths = StoragePaths.For(fixture.DataDirectory);

        var ex = Assert.ThrowsExactly<DataDirectoryInUseException>(() => new LiteDbConductorDatabase(paths));

        Assert.AreEqual(
            $"The data directory '{paths.DataDirectory}' is already owned by another conductor (process {Environment.ProcessId}, lock file '{paths.LockFile}'). "
            + "Stop that conductor first, or give this one its own data directory with --Conductor:DataDirectory.",
            ex.Message);
    }

    [TestMethod]
    public void Constructor_PreviousOwnerDisposed_Opens()
    {
        string directory;
        using (var first = new StorageFixture())
        {
            directory = first.DataDirectory;
            first.Database.Dispose();
            using var second = new LiteDbConductorDatabase(StoragePaths.For(directory));
            Assert.AreEqual(StoragePaths.For(directory).DataFile, second.Location);
        }
    }

    [TestMethod]
    public void Constructor_DataFileShorterThanOnePage_RefusesAndLeavesFileUntouched()
    {
        string directory = Path.Combine(Path.GetTempPath(), "conductor-tests", Guid.NewGuid().ToString("N"));
        var paths = StoragePaths.For(directory);
        Directory.CreateDirectory(directory);
        byte[] content = [.. Enumerable.Range(0, 100).Select(i => (byte)i)];
        File.WriteAllBytes(paths.DataFile, content);
        try
        {
            var ex = Assert.ThrowsExactly<DatabaseFileDamagedException>(() => new LiteDbConductorDatabase(paths));

            StringAssert.Contains(ex.Message, $"'{paths.DataFile}' is 100 bytes long");
            CollectionAssert.AreEqual(content, File.ReadAllBytes(paths.DataFile));

            // The refusal released the lock: the directory is free again.
            File.Delete(paths.DataFile);
            using var db = new LiteDbConductorDatabase(paths);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [TestMethod]
    public async Task Dispose_AfterWrites_DataSurvivesReopen()
    {
        using var fixture = new StorageFixture();
        await fixture.AddHostAsync("host-a");
        fixture.Database.Dispose();

        using var reopened = new LiteDbConductorDatabase(StoragePaths.For(fixture.DataDirectory));

        Assert.IsNotNull(reopened.Services.FindById("host-a"));
        Assert.IsTrue(reopened.Database.UtcDate);
    }
}
