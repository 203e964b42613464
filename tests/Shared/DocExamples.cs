using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Aicmo.Sdk.Storage.Tests;

/// <summary>
/// Checks that a docs page shows a test file's examples verbatim: each region between <c>// doc:name</c> and <c>// end</c>,
/// dedented, must stand in the page as a <c>```csharp</c> block, so the page never shows code the tests do not compile and run.
/// </summary>
internal static partial class DocExamples
{
    /// <summary>Asserts that <paramref name="page"/> (under <c>docs/</c>) shows every example region of <paramref name="sourceFile"/>, and that there are <paramref name="expected"/> of them.</summary>
    public static void AssertPageShowsEveryExample(string sourceFile, string page, int expected)
    {
        var source = File.ReadAllText(sourceFile).ReplaceLineEndings("\n");
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", page)).ReplaceLineEndings("\n");
        var regions = Region().Matches(source).ToList();

        Assert.Equal(expected, regions.Count);
        foreach (var region in regions)
        {
            var code = Dedent(region.Groups["code"].Value);
            Assert.True(text.Contains("```csharp\n" + code + "```", StringComparison.Ordinal), $"docs/{page} lacks the '{region.Groups["name"].Value}' example:\n{code}");
        }
    }

    private static string Dedent(string code)
    {
        var lines = code.TrimEnd().Split('\n');
        var indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart())) + "\n";
    }

    private static string ThisFile([CallerFilePath] string path = "") => path;

    /// <summary>Returns the repository's root folder (the one holding <c>Aicmo.Sdk.sln</c>), found from this source file's path.</summary>
    /// <returns>The folder's full path.</returns>
    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(Path.GetDirectoryName(ThisFile())!);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Aicmo.Sdk.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("The repository root was not found.");
    }

    [GeneratedRegex(@"// doc:(?<name>\w+)\n(?<code>.*?)\n\s*// end", RegexOptions.Singleline)]
    private static partial Regex Region();
}
