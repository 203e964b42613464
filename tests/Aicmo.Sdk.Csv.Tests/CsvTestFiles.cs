using Aicmo.Sdk.Csv.Import;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Stages;

namespace Aicmo.Sdk.Csv.Tests;

/// <summary>Reads the committed fixtures.</summary>
internal static class CsvTestFiles
{
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public static LeadSourceContext Context(string? resumeAfter = null) => new(Guid.NewGuid(), "c1", null) { ResumeAfter = resumeAfter };

    public static async Task<List<LeadCandidate>> ReadAllAsync(ILeadSource source, string? resumeAfter = null)
    {
        var all = new List<LeadCandidate>();
        await foreach (var c in source.ReadAsync(Context(resumeAfter), CancellationToken.None))
        {
            all.Add(c);
        }

        return all;
    }

    public static Task<List<LeadCandidate>> ReadFixtureAsync(string name, Action<CsvLeadSourceOptions>? configure = null, string? resumeAfter = null)
    {
        var options = new CsvLeadSourceOptions { Path = Fixture(name) };
        configure?.Invoke(options);
        return ReadAllAsync(new CsvLeadSource(options), resumeAfter);
    }
}
