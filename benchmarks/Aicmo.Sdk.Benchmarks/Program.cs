using Aicmo.Sdk.Benchmarks;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/Aicmo.Sdk.Benchmarks -- --filter '*'   every benchmark (BenchmarkDotNet)
// dotnet run -c Release --project benchmarks/Aicmo.Sdk.Benchmarks -- --smoke        every scenario once, tiny N, checked
// dotnet run -c Release --project benchmarks/Aicmo.Sdk.Benchmarks -- --memory       peak working set at 100k, 200k, 1M leads
if (args.Contains("--smoke"))
{
    return await SmokeRunner.RunAsync();
}

if (args.Length > 0 && args[0].StartsWith("--memory", StringComparison.Ordinal))
{
    return await MemoryProbe.RunAsync(args);
}

var config = DefaultConfig.Instance.WithArtifactsPath(ArtifactsPath());
var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;

// Reports go to artifacts/benchmarks under the repository root (ignored by git), never to the root itself.
static string ArtifactsPath()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Aicmo.Sdk.sln")))
        {
            return Path.Combine(dir.FullName, "artifacts", "benchmarks");
        }
    }

    return Path.Combine(Directory.GetCurrentDirectory(), "BenchmarkDotNet.Artifacts");
}
