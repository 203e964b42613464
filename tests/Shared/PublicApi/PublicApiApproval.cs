using System.Reflection;
using System.Runtime.CompilerServices;
using PublicApiGenerator;

namespace Aicmo.Sdk.PublicApi.Tests;

/// <summary>
/// Pins the public surface of a shipped assembly: <c>PublicApiGenerator</c> writes it out as C# declarations and the text must
/// equal the approved file, <c>PublicApi/&lt;assembly&gt;.approved.txt</c> in the calling test project. When a change to the
/// surface is intended, run the tests with <c>AICMO_ACCEPT_API=1</c> to rewrite the approved files and review the diff like
/// any other change. Compiled into every test project by <c>tests/Directory.Build.props</c>.
/// </summary>
internal static class PublicApiApproval
{
    /// <summary>The environment variable that, set to 1, rewrites the approved files instead of comparing with them.</summary>
    public const string AcceptVariable = "AICMO_ACCEPT_API";

    /// <summary>The folder of a test project that holds its approved files.</summary>
    public const string FolderName = "PublicApi";

    /// <summary>The file name of an assembly's approved surface.</summary>
    /// <param name="assemblyName">The assembly's simple name.</param>
    /// <returns>The file name.</returns>
    public static string ApprovedFileName(string assemblyName) => assemblyName + ".approved.txt";

    /// <summary>Fails unless the public API of <paramref name="assembly"/> equals its approved file.</summary>
    /// <param name="assembly">A shipped assembly.</param>
    /// <param name="callerPath">Supplied by the compiler: the calling test's source file, which locates its test project.</param>
    public static void Verify(Assembly assembly, [CallerFilePath] string callerPath = "")
    {
        var name = assembly.GetName().Name!;
        var actual = Describe(assembly);
        var approvedPath = Path.Combine(TestProjectDirectory(callerPath), FolderName, ApprovedFileName(name));
        var receivedPath = Path.ChangeExtension(approvedPath, ".received.txt");

        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(approvedPath)!);
            File.WriteAllText(approvedPath, actual);
        }

        Assert.True(File.Exists(approvedPath), $"No approved API file for {name} at {approvedPath}; run the tests with {AcceptVariable}=1 to create it.");
        var approved = File.ReadAllText(approvedPath).ReplaceLineEndings("\n");
        if (approved == actual)
        {
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, actual);
        var approvedLines = approved.Split('\n');
        var actualLines = actual.Split('\n');
        var added = actualLines.Except(approvedLines).Take(30);
        var removed = approvedLines.Except(actualLines).Take(30);
        Assert.Fail($"The public API of {name} changed.\nAdded:\n  {string.Join("\n  ", added)}\nRemoved:\n  {string.Join("\n  ", removed)}\n" +
                    $"If the change is intended, run the tests with {AcceptVariable}=1 and commit the approved file (received: {receivedPath}).");
    }

    /// <summary>
    /// The public API of an assembly as C# declarations, without assembly attributes (they carry build details). Types in
    /// <c>Microsoft.*</c> and <c>System.*</c> namespaces, which PublicApiGenerator leaves out by default, are included: the
    /// builder extension methods live in <c>Microsoft.Extensions.DependencyInjection</c>.
    /// </summary>
    /// <param name="assembly">The assembly.</param>
    /// <returns>The declarations, with LF line endings.</returns>
    public static string Describe(Assembly assembly) =>
        assembly.GeneratePublicApi(new ApiGeneratorOptions { IncludeAssemblyAttributes = false, AllowNamespacePrefixes = ["Microsoft", "System"] })
            .ReplaceLineEndings("\n");

    private static string TestProjectDirectory(string callerPath)
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(callerPath)!); dir is not null; dir = dir.Parent)
        {
            if (dir.EnumerateFiles("*.csproj").Any())
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No test project above {callerPath}.");
    }
}
