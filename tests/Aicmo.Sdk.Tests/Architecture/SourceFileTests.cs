using System.Text.RegularExpressions;
using Aicmo.Sdk.Storage.Tests;

namespace Aicmo.Sdk.Tests.Architecture;

/// <summary>
/// Pins how the repository's source files are cut: no hand-written file over 500 lines, and under <c>src/</c> one top-level type
/// per file, named after it (<c>TierRouter.cs</c>, or <c>TierRouter.Teams.cs</c> for a part of a partial type).
/// </summary>
/// <remarks>
/// Nested types belong to the type that declares them. <c>file</c>-scoped types are allowed beside the file's type: they cannot
/// be used from any other file, so they are part of that file's implementation. Namespaces are file-scoped (checked by the
/// build, IDE0161), so a top-level declaration is one that starts at the beginning of a line.
/// </remarks>
public sealed partial class SourceFileTests
{
    private const int MaxLines = 500;

    [Fact]
    public void EveryHandWrittenSourceFile_HasAtMost500Lines()
    {
        var tooLong = SourceFiles("src", "tests", "benchmarks", "samples")
            .Select(f => (File: f, Lines: File.ReadAllLines(Path.Combine(DocExamples.RepositoryRoot(), f)).Length))
            .Where(f => f.Lines > MaxLines)
            .Select(f => $"{f.File}: {f.Lines} lines")
            .ToList();

        Assert.True(tooLong.Count == 0, $"Files over {MaxLines} lines:\n{string.Join("\n", tooLong)}");
    }

    [Fact]
    public void EverySourceFileUnderSrc_DeclaresOneTopLevelType_NamedAfterTheFile()
    {
        var files = SourceFiles("src").ToList();
        var wrong = new List<string>();
        foreach (var file in files)
        {
            var declared = TopLevelTypes(File.ReadAllText(Path.Combine(DocExamples.RepositoryRoot(), file))).Distinct().ToList();
            var expected = Path.GetFileNameWithoutExtension(file).Split('.')[0];
            if (declared.Count != 1 || declared[0] != expected)
            {
                wrong.Add($"{file}: declares [{string.Join(", ", declared)}], expected only {expected}");
            }
        }

        Assert.True(files.Count > 300, $"Only {files.Count} source files were found under src/; the scan is looking in the wrong place.");
        Assert.True(wrong.Count == 0, $"Files that are not one top-level type named after the file:\n{string.Join("\n", wrong)}");
    }

    [Fact]
    public void TopLevelTypes_FindsEveryKindOfDeclaration_AndSkipsNestedAndFileScopedOnes()
    {
        const string source = """
            namespace N;

            [Obsolete("x")] public sealed partial class A<T> where T : class
            {
                private sealed class Nested;
            }
            internal readonly record struct B(int X);
            public enum C { One }
            public delegate Task<int> D(string s);
            internal interface E;
            public static class F;
            file sealed class Helper;
            public abstract record G;
            """;

        Assert.Equal(["A", "B", "C", "D", "E", "F", "G"], TopLevelTypes(source));
    }

    private static IEnumerable<string> TopLevelTypes(string source) =>
        Declaration().Matches(source)
            .Where(m => !m.Groups["file"].Success)
            .Select(m => m.Groups["type"].Success ? m.Groups["type"].Value : m.Groups["delegate"].Value);

    private static IEnumerable<string> SourceFiles(params string[] folders)
    {
        var root = DocExamples.RepositoryRoot();
        return folders
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
    }

    [GeneratedRegex(
        """^(?:\[.*\]\s*)*(?:(?<file>file)\s+|(?:public|internal|private|protected|sealed|static|abstract|partial|readonly|ref|unsafe|new)\s+)*(?:(?:class|struct|interface|enum|record(?:\s+(?:class|struct))?)\s+(?<type>@?\w+)|delegate\s+[\w<>\[\]?,. ]+?\s+(?<delegate>\w+)\s*[<(])""",
        RegexOptions.Multiline)]
    private static partial Regex Declaration();
}
