using System.Runtime.CompilerServices;
using System.Xml.Linq;
using Aicmo.Sdk.PublicApi.Tests;

namespace Aicmo.Sdk.Tests.PublicApi;

/// <summary>
/// Every package under src/ has its public API pinned: an approved file in the <c>PublicApi</c> folder of a test project that
/// references the package (where a class calls <see cref="PublicApiApproval.Verify"/> for it).
/// </summary>
public class PublicApiCoverageTests
{
    [Fact]
    public void EveryPackableProjectUnderSrc_HasAnApprovedPublicApi()
    {
        var root = RepositoryRoot();
        var testProjects = Directory.GetFiles(Path.Combine(root, "tests"), "*.csproj", SearchOption.AllDirectories);
        var packages = Directory.GetFiles(Path.Combine(root, "src"), "*.csproj", SearchOption.AllDirectories).Where(IsPackable).ToList();
        Assert.NotEmpty(packages);

        var missing = new List<string>();
        foreach (var project in packages)
        {
            var assemblyName = AssemblyName(project);
            var approvedBy = testProjects.Where(t =>
                File.Exists(Path.Combine(Path.GetDirectoryName(t)!, PublicApiApproval.FolderName, PublicApiApproval.ApprovedFileName(assemblyName))) &&
                References(t, project));
            if (!approvedBy.Any())
            {
                missing.Add(assemblyName);
            }
        }

        Assert.True(missing.Count == 0,
            $"No approved public API for: {string.Join(", ", missing)}. Add a test in the package's test project calling " +
            $"PublicApiApproval.Verify(typeof(SomePublicType).Assembly) and run it once with {PublicApiApproval.AcceptVariable}=1.");
    }

    private static bool IsPackable(string project) =>
        !XDocument.Load(project).Descendants("IsPackable").Any(e => string.Equals(e.Value.Trim(), "false", StringComparison.OrdinalIgnoreCase));

    private static string AssemblyName(string project) =>
        XDocument.Load(project).Descendants("AssemblyName").Select(e => e.Value.Trim()).FirstOrDefault(v => v.Length > 0)
        ?? Path.GetFileNameWithoutExtension(project);

    private static bool References(string testProject, string package) =>
        XDocument.Load(testProject).Descendants("ProjectReference")
            .Select(r => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(testProject)!, ((string?)r.Attribute("Include") ?? string.Empty).Replace('\\', Path.DirectorySeparatorChar))))
            .Contains(Path.GetFullPath(package), StringComparer.Ordinal);

    private static string RepositoryRoot([CallerFilePath] string path = "")
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(path)!); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Aicmo.Sdk.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Aicmo.Sdk.sln above {path}.");
    }
}
