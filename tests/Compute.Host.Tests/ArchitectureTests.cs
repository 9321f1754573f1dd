using System.Reflection;
using System.Text.Json;
using System.Xml.Linq;

namespace Compute.Host.Tests;

/// <summary>Compute's separation from the database, checked three ways: loaded assemblies, deps.json and project files.</summary>
[TestClass]
public sealed class ArchitectureTests
{
    private static readonly string[] s_forbidden = ["LiteDB", "Conductor.Host"];

    [TestMethod]
    public void ComputeHostAssembly_ReferencesRecursively_IncludeNeitherLiteDbNorConductorHost()
    {
        // Arrange
        Assembly root = typeof(ComputeHostOptions).Assembly;

        // Act
        IReadOnlyCollection<string> names = ReferencedAssemblyNames(root);

        // Assert
        CollectionAssert.Contains(names.ToList(), "Conductor.Proxy", "The walk did not reach Compute.Host's own references.");
        foreach (string forbidden in s_forbidden)
        {
            Assert.IsFalse(names.Contains(forbidden), $"Compute.Host reaches {forbidden} through its references: {string.Join(", ", names.Order())}.");
        }
    }

    [TestMethod]
    public void ComputeHostDepsJson_Libraries_IncludeNeitherLiteDbNorConductorHost()
    {
        // Arrange
        string path = Path.Combine(AppContext.BaseDirectory, "Compute.Host.deps.json");
        Assert.IsTrue(File.Exists(path), $"{path} was not copied to the test's output; the check cannot run.");
        using JsonDocument deps = JsonDocument.Parse(File.ReadAllText(path));

        // Act
        List<string> libraries = [.. deps.RootElement.GetProperty("libraries").EnumerateObject().Select(p => p.Name.Split('/')[0])];

        // Assert
        CollectionAssert.Contains(libraries, "Conductor.Proxy");
        foreach (string forbidden in s_forbidden)
        {
            CollectionAssert.DoesNotContain(libraries, forbidden, $"Compute.Host.deps.json lists {forbidden}.");
        }
    }

    [TestMethod]
    public void ComputeHostProjectFile_ReferencesRecursively_IncludeNeitherLiteDbNorConductorHost()
    {
        // Arrange
        string project = Path.Combine(FindRepositoryRoot(), "Compute.Host", "Compute.Host.csproj");

        // Act
        var projects = new List<string>();
        var packages = new List<string>();
        CollectProjectReferences(project, projects, packages);

        // Assert
        CollectionAssert.Contains(projects, "Conductor.Proxy");
        CollectionAssert.DoesNotContain(projects, "Conductor.Host", "Compute.Host references Conductor.Host through its projects.");
        CollectionAssert.DoesNotContain(packages, "LiteDB", "Compute.Host references LiteDB through its projects.");
    }

    private static HashSet<string> ReferencedAssemblyNames(Assembly root)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Stack<AssemblyName>(root.GetReferencedAssemblies());
        while (pending.TryPop(out AssemblyName? name))
        {
            if (name.Name is null || !seen.Add(name.Name))
            {
                continue;
            }

            Assembly loaded;
            try
            {
                loaded = Assembly.Load(name);
            }
            catch (FileNotFoundException)
            {
                // Not shipped beside the test (an optional platform assembly); its name is recorded all the same.
                continue;
            }

            foreach (AssemblyName reference in loaded.GetReferencedAssemblies())
            {
                pending.Push(reference);
            }
        }

        return seen;
    }

    private static void CollectProjectReferences(string projectPath, List<string> projects, List<string> packages)
    {
        XDocument document = XDocument.Load(projectPath);
        packages.AddRange(document.Descendants("PackageReference").Select(e => (string?)e.Attribute("Include")).OfType<string>());
        foreach (string include in document.Descendants("ProjectReference").Select(e => (string?)e.Attribute("Include")).OfType<string>())
        {
            string referenced = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(projectPath)!, include.Replace('\\', Path.DirectorySeparatorChar)));
            string name = Path.GetFileNameWithoutExtension(referenced);
            if (!projects.Contains(name))
            {
                projects.Add(name);
                CollectProjectReferences(referenced, projects, packages);
            }
        }
    }

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Conductor.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Conductor.sln was found above {AppContext.BaseDirectory}; run the tests from a checkout of the repository.");
    }
}
