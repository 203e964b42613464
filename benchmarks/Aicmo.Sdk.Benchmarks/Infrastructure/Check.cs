using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;

namespace Aicmo.Sdk.Benchmarks.Infrastructure;

/// <summary>Checks a benchmark's own output (counts, never timing); a failure throws, which fails the benchmark and the smoke run.</summary>
public static class Check
{
    public static void Run(PipelineRunResult result, long harvested, long? expectedDuplicates = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        True(result.Status is PipelineRunStatus.Completed or PipelineRunStatus.CompletedWithErrors, $"run status {result.Status} ({string.Join("; ", result.Errors.Select(e => e.Message))})");
        Equal(harvested, result.Harvested, "harvested candidates");
        True(result.IsBalanced, $"conservation: harvested {result.Harvested} = duplicates {result.Duplicates} + disqualified {result.Disqualified} + review {result.ManualReview} + routed {result.Routed} + contacted {result.Contacted} + suppressed {result.Suppressed} + quarantined {result.Quarantined} + pending {result.Pending}");
        Equal(0, result.Pending, "pending leads");
        if (expectedDuplicates is { } duplicates)
        {
            Equal(duplicates, result.Duplicates, "duplicates");
        }

        // Every stage accounts for what entered it: it went on, or it ended there.
        foreach (var stage in result.Stages.Skip(1))
        {
            Equal(stage.In, stage.Out + stage.Finished + stage.Duplicates + stage.Pending, $"in = out + finished at stage {stage.Name}");
        }
    }

    public static void Equal(long expected, long actual, string what)
    {
        if (expected != actual)
        {
            throw new InvalidOperationException($"Benchmark check failed: {what} was {actual}, expected {expected}.");
        }
    }

    public static void True(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"Benchmark check failed: {what}.");
        }
    }
}
